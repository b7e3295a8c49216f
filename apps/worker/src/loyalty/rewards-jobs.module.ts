import { Module } from '@nestjs/common';
import { RewardsModule } from '@app/loyalty';
import { CouponExpiryProcessor, CouponExpiryScheduler } from './rewards/coupon-expiry.processor';

/** Worker side of the loyalty rewards: the hourly sweep of expired coupon codes (bull `coupon-expiry`). */
@Module({
  imports: [RewardsModule],
  providers: [CouponExpiryProcessor, CouponExpiryScheduler],
})
export class RewardsJobsModule {}
