import { Module } from '@nestjs/common';
import { RecsysModule } from '@app/ml';
import { RecommenderFoldInConsumer } from './recommender-fold-in.consumer';
import {
  RecommenderTrainingProcessor,
  RecommenderTrainingScheduler,
} from './recommender-training.processor';

/**
 * Worker side of the recommender: nightly and on-demand training (bull `ml-training`) and the
 * fold-in of a member's vector after each paid or refunded order (outbox).
 */
@Module({
  imports: [RecsysModule],
  providers: [
    RecommenderTrainingProcessor,
    RecommenderTrainingScheduler,
    RecommenderFoldInConsumer,
  ],
})
export class RecommenderTrainingJobsModule {}
