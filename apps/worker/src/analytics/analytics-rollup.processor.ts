import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bull';
import { AnalyticsRollupService } from '@app/analytics';
import { QUEUES } from '@app/common';

export const ANALYTICS_ROLLUP_ALL_JOB = 'refresh-all';
export const ANALYTICS_ROLLUP_BRAND_JOB = 'refresh-brand';
/**
 * Every 10 minutes: rolls up the day that just completed soon after midnight UTC and absorbs late
 * changes to older days; the dashboard computes the rest live, so this only bounds how long an old
 * day's figures can lag a late refund or review.
 */
export const ANALYTICS_ROLLUP_EVERY_MS = 600_000;

export interface AnalyticsRollupJobData {
  brandId?: string;
  /** Drop the brand's rollups and build them again (after a bulk import of old data). */
  rebuild?: boolean;
}

/** `analytics-rollup` queue: keeps the dashboard's daily rollups (ADR 0021). */
@Processor(QUEUES.analyticsRollup)
export class AnalyticsRollupProcessor {
  private readonly logger = new Logger(AnalyticsRollupProcessor.name);

  constructor(@Inject(AnalyticsRollupService) private readonly rollups: AnalyticsRollupService) {}

  /** Each brand in its own transaction: one failing brand does not hold back the others. */
  @Process(ANALYTICS_ROLLUP_ALL_JOB)
  async all(): Promise<{ brands: number; days: number; failed: number }> {
    let days = 0;
    let failed = 0;
    const brands = await this.rollups.brandIds();
    for (const brandId of brands) {
      try {
        days += (await this.rollups.refreshBrand(brandId)).days;
      } catch (error) {
        failed += 1;
        this.logger.error(`analytics rollup of brand ${brandId} failed: ${String(error)}`);
      }
    }
    if (failed)
      throw new Error(`analytics rollups failed for ${failed} of ${brands.length} brands`);
    return { brands: brands.length, days, failed };
  }

  /** On demand (enqueue `{ brandId, rebuild? }`). */
  @Process(ANALYTICS_ROLLUP_BRAND_JOB)
  async brand(job: Job<AnalyticsRollupJobData>) {
    if (!job.data.brandId) return { days: 0 };
    return this.rollups.refreshBrand(job.data.brandId, { rebuild: job.data.rebuild });
  }
}

/** Registers the repeating refresh once, however many workers run. */
@Injectable()
export class AnalyticsRollupScheduler implements OnApplicationBootstrap {
  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.analyticsRollup), {
      strict: false,
    });
    for (const job of await queue.getRepeatableJobs())
      if (job.name === ANALYTICS_ROLLUP_ALL_JOB && Number(job.every) !== ANALYTICS_ROLLUP_EVERY_MS)
        await queue.removeRepeatableByKey(job.key);
    await queue.add(
      ANALYTICS_ROLLUP_ALL_JOB,
      {},
      {
        repeat: { every: ANALYTICS_ROLLUP_EVERY_MS },
        removeOnComplete: 20,
        removeOnFail: 20,
      },
    );
  }
}
