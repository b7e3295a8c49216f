import { Inject, Injectable } from '@nestjs/common';
import { DatabaseClient, type Transaction } from '@app/db';
import { OutboxRepository } from './outbox.repository';

export type RunOnceResult<T> = { applied: true; result: T } | { applied: false };

/**
 * The consumer side of at-least-once delivery. A consumer's effect is recorded in
 * `processed_messages` under (consumer name, message id), so a redelivered message is
 * recognised and its effect skipped.
 */
@Injectable()
export class IdempotentConsumer {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(OutboxRepository) private readonly repository: OutboxRepository,
  ) {}

  /**
   * Exactly-once effect for database work: the processed row and `effect` commit in one
   * transaction. If the row already exists, `effect` is not called (`applied: false`); if
   * `effect` throws, nothing is recorded and the next delivery tries again.
   */
  runOnce<T>(
    consumer: string,
    messageId: string,
    effect: (tx: Transaction) => Promise<T>,
  ): Promise<RunOnceResult<T>> {
    return this.db.transaction(async (tx): Promise<RunOnceResult<T>> => {
      if (!(await this.repository.recordProcessed(tx, consumer, messageId))) {
        return { applied: false };
      }
      return { applied: true, result: await effect(tx) };
    });
  }

  /**
   * For effects outside Postgres (socket emits, HTTP calls): skipped once recorded, but a crash
   * between the effect and the record repeats it, so the other side must tolerate duplicates
   * (pass the message id along as its idempotency key). Returns whether `effect` ran.
   */
  async runExternal(
    consumer: string,
    messageId: string,
    effect: () => Promise<void>,
  ): Promise<boolean> {
    if (await this.repository.isProcessed(consumer, messageId)) return false;
    await effect();
    await this.repository.recordProcessed(this.db.db, consumer, messageId);
    return true;
  }
}
