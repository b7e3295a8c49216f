import { Module } from '@nestjs/common';
import { ReviewsModule } from '@app/community';
import { UgcRewardsConsumer } from './ugc-rewards.consumer';

/** Worker side of the community reviews: the UGC rewards consumer (logic in @app/community). */
@Module({
  imports: [ReviewsModule],
  providers: [UgcRewardsConsumer],
})
export class ReviewsJobsModule {}
