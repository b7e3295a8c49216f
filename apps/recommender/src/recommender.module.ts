import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Gauge } from 'prom-client';
import { AppConfig, ConfigModule } from '@app/config';
import { Metrics, RedisModule, loggerOptions } from '@app/common';
import { DbModule } from '@app/db';
import { OutboxModule } from '@app/outbox';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { TfRuntime } from './tf/tf-runtime';
import { RecommendationsHttpModule } from './recommendations/recommendations-http.module';

@Module({})
export class RecommenderModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RecommenderModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.logLevel, 'recommender')),
        DbModule,
        RedisModule,
        OutboxModule,
        RecommendationsHttpModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        {
          provide: TfRuntime,
          inject: [AppConfig],
          useFactory: (c: AppConfig) => TfRuntime.init(c),
        },
        {
          provide: Metrics,
          inject: [TfRuntime],
          useFactory: (tf: TfRuntime) => {
            const metrics = new Metrics('recommender');
            new Gauge({
              name: 'tf_backend_info',
              help: 'TensorFlow.js backend in use (value is always 1)',
              labelNames: ['backend'],
              registers: [metrics.registry],
            }).set({ backend: tf.backend.backend }, 1);
            return metrics;
          },
        },
      ],
    };
  }
}
