import { BullModule, getQueueToken } from '@nestjs/bull';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Queue } from 'bull';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigModule } from '@app/config';
import {
  Metrics,
  QUEUES,
  RedisModule,
  RedisThrottlerStorage,
  loggerOptions,
  registerQueueDepth,
} from '@app/common';
import { DbModule } from '@app/db';
import { IdentityModule } from '@app/identity';
import { OutboxModule } from '@app/outbox';
import { HealthController } from './health/health.controller';
import { ApiKeysController } from './identity/api-keys.controller';
import { AuthController } from './identity/auth.controller';
import { MeController } from './identity/me.controller';
import { MembersController } from './identity/members.controller';
import { OperatorBrandsController } from './identity/operator-brands.controller';
import { StaffController } from './identity/staff.controller';
import { StorefrontMembersController } from './identity/storefront-members.controller';
import { MetricsController } from './metrics/metrics.controller';
import { LedgerHttpModule } from './loyalty/ledger-http.module';
import { OrdersHttpModule } from './loyalty/orders-http.module';
import { RewardsHttpModule } from './loyalty/rewards-http.module';
import { TiersHttpModule } from './loyalty/tiers-http.module';
import { RealtimeModule } from './realtime/realtime.module';
import { CommunitiesHttpModule } from './community/communities-http.module';
import { ModerationHttpModule } from './community/moderation-http.module';
import { ReviewsHttpModule } from './community/reviews-http.module';
import { DropsHttpModule } from './drops/drops-http.module';
import { PredictionsHttpModule } from './predictions/predictions-http.module';
import { RecommendationsHttpModule } from './recommendations/recommendations-http.module';
import { CampaignsHttpModule } from './marketing/campaigns-http.module';
import { SegmentsHttpModule } from './marketing/segments-http.module';
import { AnalyticsHttpModule } from './console/analytics-http.module';
import { ConsoleHttpModule } from './console/console-http.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.logLevel, 'api')),
        DbModule,
        RedisModule,
        OutboxModule,
        IdentityModule,
        RealtimeModule,
        LedgerHttpModule,
        OrdersHttpModule,
        TiersHttpModule,
        RewardsHttpModule,
        CommunitiesHttpModule,
        ReviewsHttpModule,
        ModerationHttpModule,
        DropsHttpModule,
        PredictionsHttpModule,
        RecommendationsHttpModule,
        SegmentsHttpModule,
        CampaignsHttpModule,
        AnalyticsHttpModule,
        ConsoleHttpModule,
        TerminusModule,
        BullModule.forRoot({ redis: config.redis.url, prefix: config.redis.prefix }),
        BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
        ThrottlerModule.forRootAsync({
          inject: [RedisThrottlerStorage],
          useFactory: (storage: RedisThrottlerStorage) => ({
            throttlers: [
              { name: 'default', ttl: config.rateLimit.windowMs, limit: config.rateLimit.max },
            ],
            storage,
          }),
        }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        OperatorBrandsController,
        AuthController,
        MembersController,
        MeController,
        StaffController,
        ApiKeysController,
        StorefrontMembersController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        {
          provide: Metrics,
          inject: Object.values(QUEUES).map((name) => getQueueToken(name)),
          useFactory: (...queues: Queue[]) => {
            const metrics = new Metrics('api');
            registerQueueDepth(metrics, queues);
            return metrics;
          },
        },
      ],
    };
  }
}
