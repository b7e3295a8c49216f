import { Injectable } from '@nestjs/common';
import { type Executor, runStatement, statement } from '@app/db';

/** One statement for any number of messages, prepared once per connection (hot write paths). */
const INSERT_MESSAGES = statement(
  'outbox_insert_messages',
  `insert into outbox_messages (brand_id, topic, key, payload, headers, available_at)
   select $1, v.topic, v.key, v.payload::jsonb, v.headers::jsonb, v.available_at
     from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) with ordinality
          as v(topic, key, payload, headers, available_at, n)
    order by v.n
   returning id`,
);

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
    const now = new Date();
    const rows = await runStatement<{ id: string }>(tx, INSERT_MESSAGES, [
      brandId,
      messages.map((m) => m.topic),
      messages.map((m) => m.key ?? null),
      messages.map((m) => JSON.stringify(m.payload)),
      messages.map((m) => JSON.stringify(m.headers ?? {})),
      messages.map((m) => m.availableAt ?? now),
    ]);
    return rows.map((r) => r.id);
  }
}
