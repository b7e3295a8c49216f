import { BullModule, getQueueToken } from '@nestjs/bull';
import { type DynamicModule, Module } from '@nestjs/common';
import type { Queue } from 'bull';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigModule } from '@app/config';
import { Metrics, QUEUES, RedisModule, loggerOptions, registerQueueDepth } from '@app/common';
import { DbModule } from '@app/db';
import {
  OutboxDrainerModule,
  OutboxMetrics,
  OutboxModule,
  OutboxRealtimeModule,
  OutboxRepository,
  newDrainerId,
} from '@app/outbox';
import { HeartbeatProcessor, HeartbeatService } from './heartbeat/heartbeat.processor';
import { WorkerHttpController } from './http/health.controller';
import { WORKER_ID } from './worker-id';
import {
  OutboxRetentionProcessor,
  OutboxRetentionScheduler,
} from './outbox/outbox-retention.processor';
import { LedgerJobsModule } from './loyalty/ledger-jobs.module';
import { OrdersJobsModule } from './loyalty/orders-jobs.module';
import { RewardsJobsModule } from './loyalty/rewards-jobs.module';
import { TiersJobsModule } from './loyalty/tiers-jobs.module';
import { CommunitiesJobsModule } from './community/communities-jobs.module';
import { ModerationJobsModule } from './community/moderation-jobs.module';
import { ReviewsJobsModule } from './community/reviews-jobs.module';
import { DropsJobsModule } from './drops/drops-jobs.module';
import { PredictionsJobsModule } from './ml/predictions-jobs.module';
import { RecommenderTrainingJobsModule } from './ml/recommender-training-jobs.module';
import { OffersJobsModule } from './marketing/offers-jobs.module';
import { SegmentsJobsModule } from './marketing/segments-jobs.module';
import { AnalyticsJobsModule } from './analytics/analytics-jobs.module';

/** Wiring only: processors and consumers live in libs (and are discovered from their modules). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, workerId: string = newDrainerId()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.logLevel, 'worker')),
        DbModule,
        RedisModule,
        OutboxModule,
        OutboxDrainerModule.forRoot({ id: workerId }),
        OutboxRealtimeModule,
        BullModule.forRoot({ redis: config.redis.url, prefix: config.redis.prefix }),
        BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
        LedgerJobsModule,
        OrdersJobsModule,
        TiersJobsModule,
        RewardsJobsModule,
        CommunitiesJobsModule,
        ReviewsJobsModule,
        ModerationJobsModule,
        DropsJobsModule,
        RecommenderTrainingJobsModule,
        PredictionsJobsModule,
        SegmentsJobsModule,
        OffersJobsModule,
        AnalyticsJobsModule,
      ],
      controllers: [WorkerHttpController],
      providers: [
        { provide: WORKER_ID, useValue: workerId },
        HeartbeatProcessor,
        OutboxRetentionProcessor,
        OutboxRetentionScheduler,
        HeartbeatService,
        {
          provide: Metrics,
          inject: [
            OutboxMetrics,
            OutboxRepository,
            ...Object.values(QUEUES).map((name) => getQueueToken(name)),
          ],
          useFactory: (outbox: OutboxMetrics, repository: OutboxRepository, ...queues: Queue[]) => {
            const metrics = new Metrics('worker');
            registerQueueDepth(metrics, queues);
            outbox.register(metrics.registry, () => repository.stats());
            return metrics;
          },
        },
      ],
    };
  }
}
