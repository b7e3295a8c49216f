import { Module } from '@nestjs/common';
import { AuditLogRepository, IdentityModule } from '@app/identity';
import { LedgerModule } from '../ledger/ledger.module';
import { CouponTemplatesRepository } from './coupons/coupon-templates.repository';
import { CouponTemplatesService } from './coupons/coupon-templates.service';
import { CouponsRepository } from './coupons/coupons.repository';
import { CouponsService } from './coupons/coupons.service';
import { RewardsRepository } from './rewards.repository';
import { RewardsService } from './rewards.service';

/**
 * Rewards catalogue, redemptions and coupons (services and repositories shared by api and
 * worker). Needs the global DbModule and OutboxModule.
 */
@Module({
  imports: [IdentityModule, LedgerModule],
  providers: [
    AuditLogRepository,
    CouponTemplatesRepository,
    CouponsRepository,
    CouponTemplatesService,
    CouponsService,
    RewardsRepository,
    RewardsService,
  ],
  exports: [CouponTemplatesService, CouponsService, RewardsService],
})
export class RewardsModule {}
