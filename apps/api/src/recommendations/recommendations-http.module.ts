import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { RecommendationsController } from './recommendations.controller';
import { RecommenderClient } from './recommender.client';

/** Staff access to apps/recommender through the api (docs/adr/0020). */
@Module({
  imports: [IdentityModule],
  controllers: [RecommendationsController],
  providers: [RecommenderClient],
})
export class RecommendationsHttpModule {}
