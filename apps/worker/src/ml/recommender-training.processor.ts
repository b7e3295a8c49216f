import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bull';
import { QUEUES } from '@app/common';
import {
  RECOMMENDER_TRAIN_ALL_JOB,
  RECOMMENDER_TRAIN_JOB,
  type RecommenderTrainJobData,
  RecommenderTrainingService,
  type TrainingOutcome,
} from '@app/ml';

/** Nightly at 02:30 UTC, before the 03:15 tier review. */
export const RECOMMENDER_TRAIN_CRON = '30 2 * * *';

export interface TrainingJobResult {
  versionId: string | null;
  promoted: boolean;
  reason: string;
}

const summary = (o: TrainingOutcome): TrainingJobResult => ({
  versionId: o.version?.id ?? null,
  promoted: o.promoted,
  reason: o.reason,
});

@Processor(QUEUES.mlTraining)
export class RecommenderTrainingProcessor {
  private readonly logger = new Logger(RecommenderTrainingProcessor.name);

  constructor(
    @Inject(RecommenderTrainingService) private readonly training: RecommenderTrainingService,
  ) {}

  @Process(RECOMMENDER_TRAIN_JOB)
  async trainOne(job: Job<RecommenderTrainJobData>): Promise<TrainingJobResult> {
    const { brandId, factors, iterations } = job.data;
    const params = {
      ...(factors ? { factors } : {}),
      ...(iterations ? { iterations } : {}),
    };
    return summary(await this.training.train(brandId, { params }));
  }

  @Process(RECOMMENDER_TRAIN_ALL_JOB)
  async trainAll(): Promise<TrainingJobResult[]> {
    const results: TrainingJobResult[] = [];
    for (const brandId of await this.training.brandsWithOrders()) {
      try {
        results.push(summary(await this.training.train(brandId)));
      } catch (error) {
        // One brand's failure must not stop the others; its previous version keeps serving.
        this.logger.error(`brand ${brandId}: training failed: ${(error as Error).message}`);
      }
    }
    return results;
  }
}

/** Schedules the repeatable nightly run (one schedule however many workers run). */
@Injectable()
export class RecommenderTrainingScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(RecommenderTrainingScheduler.name);

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.mlTraining), { strict: false });
    for (const job of await queue.getRepeatableJobs()) {
      if (job.name === RECOMMENDER_TRAIN_ALL_JOB && job.cron !== RECOMMENDER_TRAIN_CRON) {
        await queue.removeRepeatableByKey(job.key);
      }
    }
    await queue.add(
      RECOMMENDER_TRAIN_ALL_JOB,
      {},
      {
        repeat: { cron: RECOMMENDER_TRAIN_CRON, tz: 'UTC' },
        removeOnComplete: 20,
        removeOnFail: 20,
      },
    );
    this.logger.log(`recommender training scheduled (${RECOMMENDER_TRAIN_CRON} UTC)`);
  }
}
