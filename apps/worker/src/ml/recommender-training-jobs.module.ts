import { Module } from '@nestjs/common';

/** Worker side of the recommender: scheduled and on-demand training jobs. */
@Module({})
export class RecommenderTrainingJobsModule {}
