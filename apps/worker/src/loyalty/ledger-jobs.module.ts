import { Module } from '@nestjs/common';
import { LedgerModule } from '@app/loyalty';
import { PointsExpiryProcessor, PointsExpiryScheduler } from './ledger/points-expiry.processor';

/** Worker side of the loyalty ledger: bull processors and outbox consumers. */
@Module({ imports: [LedgerModule], providers: [PointsExpiryProcessor, PointsExpiryScheduler] })
export class LedgerJobsModule {}
