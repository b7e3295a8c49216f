import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bull';
import { QUEUES } from '@app/common';
import { ORDER_TOPICS } from '@app/loyalty';
import { type OutboxConsumer, OutboxHandler, type OutboxMessage } from '@app/outbox';
import { SegmentsService } from '@app/segments';

export const SEGMENTS_NIGHTLY_JOB = 'recompute-all';
export const SEGMENTS_BRAND_JOB = 'recompute-brand';
/** Nightly at 02:30 UTC: every brand, one set-based statement each. */
export const SEGMENTS_NIGHTLY_CRON = '30 2 * * *';

export interface SegmentsJobData {
  brandId?: string;
  asOf?: string;
  lifecycle?: Record<string, number>;
}

@Processor(QUEUES.segmentsRecompute)
export class SegmentsRecomputeProcessor {
  private readonly logger = new Logger(SegmentsRecomputeProcessor.name);

  constructor(@Inject(SegmentsService) private readonly segments: SegmentsService) {}

  @Process(SEGMENTS_NIGHTLY_JOB)
  async all(job: Job<SegmentsJobData>): Promise<{ brands: number; changes: number }> {
    let changes = 0;
    const brands = await this.segments.brandIds();
    for (const brandId of brands) {
      const outcome = await this.segments.recomputeBrand(brandId, {
        asOf: job.data?.asOf ? new Date(job.data.asOf) : undefined,
      });
      changes += outcome.changes.length;
    }
    this.logger.log(
      `segments recomputed for ${brands.length} brands (${changes} lifecycle changes)`,
    );
    return { brands: brands.length, changes };
  }

  /** On demand (enqueue `{ brandId, asOf?, lifecycle? }`). */
  @Process(SEGMENTS_BRAND_JOB)
  async brand(job: Job<SegmentsJobData>) {
    if (!job.data.brandId) return { members: 0, changes: 0 };
    const outcome = await this.segments.recomputeBrand(job.data.brandId, {
      asOf: job.data.asOf ? new Date(job.data.asOf) : undefined,
      lifecycle: job.data.lifecycle,
    });
    return { members: outcome.members, changes: outcome.changes.length };
  }
}

@Injectable()
export class SegmentsRecomputeScheduler implements OnApplicationBootstrap {
  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.segmentsRecompute), {
      strict: false,
    });
    for (const job of await queue.getRepeatableJobs())
      if (job.name === SEGMENTS_NIGHTLY_JOB && job.cron !== SEGMENTS_NIGHTLY_CRON)
        await queue.removeRepeatableByKey(job.key);
    await queue.add(
      SEGMENTS_NIGHTLY_JOB,
      {},
      {
        repeat: { cron: SEGMENTS_NIGHTLY_CRON, tz: 'UTC' },
        removeOnComplete: 20,
        removeOnFail: 20,
      },
    );
  }
}

/**
 * A paid order re-scores its member at once (lifecycle back to active, frequency, value). The
 * recompute is a pure function of the member's orders, so a redelivery writes nothing new.
 */
@OutboxHandler()
@Injectable()
export class SegmentsOrderConsumer implements OutboxConsumer {
  readonly name = 'segments.order-paid';
  readonly topics = [ORDER_TOPICS.paid];

  constructor(@Inject(SegmentsService) private readonly segments: SegmentsService) {}

  async handle(message: OutboxMessage): Promise<void> {
    const memberId = message.payload.memberId;
    if (typeof memberId !== 'string') return;
    await this.segments.recomputeMember(message.brandId, memberId);
  }
}
