import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { RewardsModule } from '@app/loyalty';
import { CouponTemplatesController } from './rewards/coupon-templates.controller';
import { MeRewardsController } from './rewards/me-rewards.controller';
import { RewardsController } from './rewards/rewards.controller';
import { StorefrontCouponsController } from './rewards/storefront-coupons.controller';

/** HTTP surface of the loyalty rewards (controllers only; logic lives in @app/loyalty). */
@Module({
  // IdentityModule: the auth guards of the controllers.
  imports: [IdentityModule, RewardsModule],
  controllers: [
    CouponTemplatesController,
    StorefrontCouponsController,
    MeRewardsController,
    RewardsController,
  ],
})
export class RewardsHttpModule {}
