import { Module } from '@nestjs/common';
import { AuditLogRepository, IdentityModule } from '@app/identity';
import { PointsExpiryService } from './expiry.service';
import { LedgerQueryService } from './ledger-query.service';
import { LedgerInvariants } from './ledger.invariants';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { LoyaltyProgramService } from './loyalty-program.service';

const exported = [
  LedgerService,
  LedgerInvariants,
  LoyaltyProgramService,
  LedgerQueryService,
  PointsExpiryService,
];

/**
 * Ledger part of the loyalty context (services and repositories shared by api and worker).
 * Needs the global ConfigModule, DbModule and OutboxModule.
 */
@Module({
  imports: [IdentityModule],
  // IdentityModule does not export its audit repository; it is stateless, so we provide our own.
  providers: [LedgerRepository, AuditLogRepository, ...exported],
  exports: exported,
})
export class LedgerModule {}
