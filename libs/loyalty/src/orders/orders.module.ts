import { Module } from '@nestjs/common';
import { AuditLogRepository, IdentityModule } from '@app/identity';
import { LedgerModule, LedgerRepository } from '../ledger';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { BirthdayPointsService } from './rules/birthday-points.service';
import { EarningRulesService } from './rules/earning-rules.service';
import { SignedStorefrontRequestGuard } from './signing/signed-storefront-request.guard';

const exported = [
  OrdersService,
  EarningRulesService,
  BirthdayPointsService,
  SignedStorefrontRequestGuard,
];

/**
 * Orders part of the loyalty context: order ingestion and refunds, earning rules (purchase and
 * behaviour), signed storefront requests. Needs the global ConfigModule, DbModule, RedisModule
 * and OutboxModule.
 */
@Module({
  imports: [IdentityModule, LedgerModule],
  // Stateless repositories of other parts: the member lock (taken before counting rule caps) and
  // the audit log (rule changes), which their modules do not export.
  providers: [OrdersRepository, LedgerRepository, AuditLogRepository, ...exported],
  exports: [...exported, IdentityModule],
})
export class OrdersModule {}
