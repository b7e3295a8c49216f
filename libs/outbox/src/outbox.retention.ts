import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { OutboxRepository } from './outbox.repository';

const DAY_MS = 86_400_000;
/** Rows per delete statement: short statements, no long lock on the table. */
export const PRUNE_BATCH = 5_000;

/** Repeats a batched delete until a batch comes back short; returns the total deleted. */
async function drain(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  let deleted: number;
  do {
    deleted = await deleteBatch(PRUNE_BATCH);
    total += deleted;
  } while (deleted === PRUNE_BATCH);
  return total;
}

/**
 * Keeps the outbox and the consumers' inbox from growing forever: delivered messages and inbox
 * rows older than OUTBOX_RETENTION_DAYS are deleted in short batches. Pending and dead-lettered
 * messages are never touched. Safe to run from several workers at once.
 */
@Injectable()
export class OutboxRetention {
  constructor(
    @Inject(OutboxRepository) private readonly repository: OutboxRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async prune(now: Date = new Date()): Promise<{ messages: number; processed: number }> {
    const before = new Date(now.getTime() - this.config.outbox.retentionDays * DAY_MS);
    return {
      messages: await drain((limit) => this.repository.pruneDelivered(before, limit)),
      processed: await drain((limit) => this.repository.pruneProcessed(before, limit)),
    };
  }
}
