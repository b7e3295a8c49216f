import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bull';
import { QUEUES } from '@app/common';
import { type ReviewRunResult, TierReviewService } from '@app/loyalty';

export const TIER_REVIEW_JOB = 'review-due';
/** Daily at 03:15 UTC; the job reviews every member whose next_review_at has passed. */
export const TIER_REVIEW_CRON = '15 3 * * *';

export interface TierReviewJobData {
  /** ISO instant to review as of (tests, catch-up runs); default: when the job runs. */
  asOf?: string;
  batchSize?: number;
}

@Processor(QUEUES.tierReview)
export class TierReviewProcessor {
  constructor(@Inject(TierReviewService) private readonly review: TierReviewService) {}

  @Process(TIER_REVIEW_JOB)
  run(job: Job<TierReviewJobData>): Promise<ReviewRunResult> {
    return this.review.runDue({
      asOf: job.data?.asOf ? new Date(job.data.asOf) : undefined,
      batchSize: job.data?.batchSize,
    });
  }
}

/**
 * Schedules the repeatable daily review (one schedule however many workers run). The queue is
 * registered by the worker module, so it is looked up across modules rather than injected here.
 */
@Injectable()
export class TierReviewScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(TierReviewScheduler.name);

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.tierReview), { strict: false });
    for (const job of await queue.getRepeatableJobs()) {
      if (job.name === TIER_REVIEW_JOB && job.cron !== TIER_REVIEW_CRON) {
        await queue.removeRepeatableByKey(job.key);
      }
    }
    await queue.add(
      TIER_REVIEW_JOB,
      {},
      { repeat: { cron: TIER_REVIEW_CRON, tz: 'UTC' }, removeOnComplete: 50, removeOnFail: 50 },
    );
    this.logger.log(`tier review scheduled (${TIER_REVIEW_CRON} UTC)`);
  }
}
