import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { QUEUES } from '@app/common';
import { OutboxRetention } from '@app/outbox';

export const OUTBOX_RETENTION_EVERY_MS = 3_600_000;
const JOB = 'prune';

/** `outbox-retention` queue: deletes delivered messages and inbox rows past retention, hourly. */
@Processor(QUEUES.outboxRetention)
export class OutboxRetentionProcessor {
  constructor(@Inject(OutboxRetention) private readonly retention: OutboxRetention) {}

  @Process(JOB)
  prune(): Promise<{ messages: number; processed: number }> {
    return this.retention.prune();
  }
}

/** Registers the hourly schedule once, however many workers run. */
@Injectable()
export class OutboxRetentionScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(OutboxRetentionScheduler.name);

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.outboxRetention), {
      strict: false,
    });
    await queue.add(
      JOB,
      {},
      { removeOnComplete: true, removeOnFail: 20, repeat: { every: OUTBOX_RETENTION_EVERY_MS } },
    );
    this.logger.log(`outbox retention scheduled every ${OUTBOX_RETENTION_EVERY_MS} ms`);
  }
}
