import { Module } from '@nestjs/common';
import { FoldInService } from './fold-in.service';
import { ModelStore } from './model-store';
import { ModelVersionsRepository } from './model-versions.repository';
import { RecommendationsService } from './recommendations.service';
import { RecommenderDataRepository } from './recommender-data.repository';
import { RecommenderModelsService } from './recommender-models.service';
import { RecommenderTrainingService } from './recommender-training.service';
import { RecsysEvents } from './recsys-events';

/**
 * The recommender's platform side (needs the global ConfigModule, DbModule and RedisModule):
 * training and fold-in for the worker, serving and model administration for the recommender.
 */
@Module({
  providers: [
    RecommenderDataRepository,
    ModelVersionsRepository,
    RecsysEvents,
    ModelStore,
    RecommenderTrainingService,
    FoldInService,
    RecommenderModelsService,
  ],
  exports: [
    RecommenderTrainingService,
    FoldInService,
    RecommenderModelsService,
    RecsysEvents,
    ModelStore,
    RecommenderDataRepository,
    ModelVersionsRepository,
  ],
})
export class RecsysModule {}

/** Serving adds the in-memory recommendations service (which subscribes to model/member events). */
@Module({
  imports: [RecsysModule],
  providers: [RecommendationsService],
  exports: [RecsysModule, RecommendationsService],
})
export class RecsysServingModule {}
