import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bull';
import { QUEUES } from '@app/common';
import { POINTS_EXPIRY_JOBS, PointsExpiryService, type SweepResult } from '@app/loyalty';

/** Both jobs run hourly; the sweep also runs on demand (`queue.add('sweep', {})`). */
export const POINTS_EXPIRY_EVERY_MS = 3_600_000;

interface ExpiryJobData {
  /** ISO instant to treat as now (tests, backfills); default the job's run time. */
  now?: string;
}

const nowOf = (job: Job<ExpiryJobData>): Date | undefined =>
  job.data?.now ? new Date(job.data.now) : undefined;

/**
 * `points-expiry` queue: the expiry sweep and the expiring-soon warnings. Both are idempotent and
 * resumable (see PointsExpiryService), so a job killed mid-way is simply run again by bull or by
 * the next repeat; several workers may process them at once.
 */
@Processor(QUEUES.pointsExpiry)
export class PointsExpiryProcessor {
  constructor(@Inject(PointsExpiryService) private readonly expiry: PointsExpiryService) {}

  @Process(POINTS_EXPIRY_JOBS.sweep)
  sweep(job: Job<ExpiryJobData>): Promise<SweepResult> {
    return this.expiry.sweep({ now: nowOf(job) });
  }

  @Process(POINTS_EXPIRY_JOBS.warn)
  warn(job: Job<ExpiryJobData>): Promise<{ members: number }> {
    return this.expiry.warn({ now: nowOf(job) });
  }
}

/**
 * Registers the repeatable schedules (one schedule however many workers run). The queue is
 * registered by the worker module, so it is looked up across modules rather than injected.
 */
@Injectable()
export class PointsExpiryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(PointsExpiryScheduler.name);

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.pointsExpiry), {
      strict: false,
    });
    const every = POINTS_EXPIRY_EVERY_MS;
    const names: string[] = Object.values(POINTS_EXPIRY_JOBS);
    for (const job of await queue.getRepeatableJobs()) {
      if (names.includes(job.name) && Number(job.every) !== every)
        await queue.removeRepeatableByKey(job.key);
    }
    const options = { removeOnComplete: true, removeOnFail: 50, repeat: { every } };
    await queue.add(POINTS_EXPIRY_JOBS.sweep, {}, options);
    await queue.add(POINTS_EXPIRY_JOBS.warn, {}, options);
    this.logger.log(`points expiry sweep and warnings scheduled every ${every} ms`);
  }
}
