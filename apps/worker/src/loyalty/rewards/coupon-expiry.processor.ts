import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bull';
import { QUEUES } from '@app/common';
import { CouponsService } from '@app/loyalty';

export const COUPON_EXPIRY_JOB = 'expire-due';
/** Hourly at :20; each run marks every issued code past its expiry as expired. */
export const COUPON_EXPIRY_CRON = '20 * * * *';

export interface CouponExpiryJobData {
  /** ISO instant to expire as of (tests, catch-up runs); default: when the job runs. */
  asOf?: string;
  batchSize?: number;
}

@Processor(QUEUES.couponExpiry)
export class CouponExpiryProcessor {
  constructor(@Inject(CouponsService) private readonly coupons: CouponsService) {}

  @Process(COUPON_EXPIRY_JOB)
  run(job: Job<CouponExpiryJobData>): Promise<{ expired: number }> {
    return this.coupons.expireDue({
      asOf: job.data?.asOf ? new Date(job.data.asOf) : undefined,
      batchSize: job.data?.batchSize,
    });
  }
}

/**
 * Schedules the repeatable sweep (one schedule however many workers run). The queue is
 * registered by the worker module, so it is looked up across modules rather than injected here.
 */
@Injectable()
export class CouponExpiryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(CouponExpiryScheduler.name);

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.couponExpiry), { strict: false });
    for (const job of await queue.getRepeatableJobs()) {
      if (job.name === COUPON_EXPIRY_JOB && job.cron !== COUPON_EXPIRY_CRON)
        await queue.removeRepeatableByKey(job.key);
    }
    await queue.add(
      COUPON_EXPIRY_JOB,
      {},
      { repeat: { cron: COUPON_EXPIRY_CRON, tz: 'UTC' }, removeOnComplete: 50, removeOnFail: 50 },
    );
    this.logger.log(`coupon expiry scheduled (${COUPON_EXPIRY_CRON} UTC)`);
  }
}
