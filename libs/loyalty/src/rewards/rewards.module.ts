import { Module } from '@nestjs/common';
import { AuditLogRepository, IdentityModule } from '@app/identity';
import { CouponTemplatesRepository } from './coupons/coupon-templates.repository';
import { CouponTemplatesService } from './coupons/coupon-templates.service';
import { CouponsRepository } from './coupons/coupons.repository';
import { CouponsService } from './coupons/coupons.service';

/**
 * Rewards catalogue, redemptions and coupons (services and repositories shared by api and
 * worker). Needs the global DbModule and OutboxModule.
 */
@Module({
  imports: [IdentityModule],
  providers: [
    AuditLogRepository,
    CouponTemplatesRepository,
    CouponsRepository,
    CouponTemplatesService,
    CouponsService,
  ],
  exports: [CouponTemplatesService, CouponsService],
})
export class RewardsModule {}
