import { Injectable } from '@nestjs/common';
import { type Executor, outboxMessages } from '@app/db';

export interface OutboxMessageInput {
  topic: string;
  payload: Record<string, unknown>;
  /** Routing key, e.g. `member:<id>`; also where realtime consumers push the event. */
  key?: string;
  headers?: Record<string, string>;
  /** Deliver no earlier than this (delayed side effects). */
  availableAt?: Date;
}

/** Brand id used for platform-level messages (not owned by any tenant). */
export const PLATFORM_BRAND_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Writes outbox messages. Always pass the transaction of the state change that caused the
 * message: the message exists if and only if that change committed.
 */
@Injectable()
export class OutboxPublisher {
  async publish(tx: Executor, brandId: string, message: OutboxMessageInput): Promise<string> {
    const [row] = await this.publishMany(tx, brandId, [message]);
    return row;
  }

  async publishMany(
    tx: Executor,
    brandId: string,
    messages: OutboxMessageInput[],
  ): Promise<string[]> {
    if (!messages.length) return [];
    const rows = await tx
      .insert(outboxMessages)
      .values(
        messages.map((m) => ({
          brandId,
          topic: m.topic,
          key: m.key,
          payload: m.payload,
          headers: m.headers ?? {},
          availableAt: m.availableAt ?? new Date(),
        })),
      )
      .returning({ id: outboxMessages.id });
    return rows.map((r) => r.id);
  }
}
