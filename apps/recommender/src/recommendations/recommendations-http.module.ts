import { Module } from '@nestjs/common';

/** Storefront recommendations served by the recommender app (logic lives in @app/ml). */
@Module({})
export class RecommendationsHttpModule {}
