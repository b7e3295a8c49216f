import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bull';
import { QUEUES } from '@app/common';
import { PREDICTIONS_JOBS, PredictionsService, type RefitResult } from '@app/ml';

/** Nightly at 03:00 UTC, after the day's orders and before morning campaigns. */
export const PREDICTIONS_REFIT_CRON = '0 3 * * *';

export interface RefitBrandJobData {
  brandId: string;
  /** ISO instant to treat as now (tests, backfills); default the job's run time. */
  now?: string;
}

/** Job id of a brand's refit: bull ignores a second add while one is waiting or running. */
export const refitJobId = (brandId: string, tag: string) => `refit:${brandId}:${tag}`;

/**
 * `ml-predictions` queue: the nightly fan-out (one refit job per brand with orders) and the
 * per-brand refit (fit, select by validation, activate the version, rescore every member).
 * A refit is idempotent: running it twice writes a second version with the same predictions.
 */
@Processor(QUEUES.mlPredictions)
export class PredictionsProcessor {
  constructor(
    @Inject(PredictionsService) private readonly predictions: PredictionsService,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  @Process(PREDICTIONS_JOBS.refitAll)
  async refitAll(job: Job<{ now?: string }>): Promise<{ brands: number }> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.mlPredictions), { strict: false });
    const brands = await this.predictions.brandsToRefit();
    const tag = (job.data?.now ? new Date(job.data.now) : new Date()).toISOString().slice(0, 10);
    for (const brandId of brands)
      await queue.add(
        PREDICTIONS_JOBS.refitBrand,
        { brandId, now: job.data?.now },
        { jobId: refitJobId(brandId, tag), removeOnComplete: true, removeOnFail: 50, attempts: 2 },
      );
    return { brands: brands.length };
  }

  @Process(PREDICTIONS_JOBS.refitBrand)
  refitBrand(job: Job<RefitBrandJobData>): Promise<RefitResult> {
    return this.predictions.refitBrand(job.data.brandId, {
      now: job.data.now ? new Date(job.data.now) : undefined,
    });
  }
}

/** Registers the nightly fan-out once, whatever the number of workers. */
@Injectable()
export class PredictionsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(PredictionsScheduler.name);

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.mlPredictions), { strict: false });
    for (const job of await queue.getRepeatableJobs()) {
      if (job.name === PREDICTIONS_JOBS.refitAll && job.cron !== PREDICTIONS_REFIT_CRON)
        await queue.removeRepeatableByKey(job.key);
    }
    await queue.add(
      PREDICTIONS_JOBS.refitAll,
      {},
      {
        removeOnComplete: true,
        removeOnFail: 50,
        repeat: { cron: PREDICTIONS_REFIT_CRON, tz: 'UTC' },
      },
    );
    this.logger.log(`timing refits scheduled (${PREDICTIONS_REFIT_CRON} UTC)`);
  }
}
