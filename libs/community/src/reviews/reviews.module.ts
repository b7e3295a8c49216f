import { Module } from '@nestjs/common';
import { LedgerModule, LedgerRepository, OrdersModule, RewardsModule } from '@app/loyalty';
import { CommunitiesModule } from '../communities/communities.module';
import { ModerationModule } from '../moderation/moderation.module';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsService } from './reviews.service';
import { UgcRewardsService } from './ugc-rewards.service';

const exported = [ReviewsService, UgcRewardsService];

/**
 * Shared reviews (晒单), helpful votes and the UGC rewards (services shared by api and worker).
 * Needs the global ConfigModule, DbModule, RedisModule and OutboxModule.
 */
@Module({
  imports: [CommunitiesModule, ModerationModule, OrdersModule, LedgerModule, RewardsModule],
  // LedgerRepository is stateless and not exported by LedgerModule: the reversal finds the award
  // entry by its dedupe key through it.
  providers: [ReviewsRepository, LedgerRepository, ...exported],
  exports: exported,
})
export class ReviewsModule {}
