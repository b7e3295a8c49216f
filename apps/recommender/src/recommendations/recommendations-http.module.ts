import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { QUEUES } from '@app/common';
import { IdentityModule } from '@app/identity';
import { RecsysServingModule } from '@app/ml';
import { RecommendationsController } from './recommendations.controller';
import { RecommenderModelsController } from './recommender-models.controller';

/**
 * Storefront recommendations and staff model administration (logic lives in @app/ml). Training
 * itself runs in the worker: this app only queues it on `ml-training`.
 */
@Module({
  imports: [
    IdentityModule,
    RecsysServingModule,
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        redis: config.redis.url,
        prefix: config.redis.prefix,
      }),
    }),
    BullModule.registerQueue({ name: QUEUES.mlTraining }),
  ],
  controllers: [RecommendationsController, RecommenderModelsController],
})
export class RecommendationsHttpModule {}
