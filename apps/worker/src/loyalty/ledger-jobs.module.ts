import { Module } from '@nestjs/common';
import { LedgerModule } from '@app/loyalty';

/** Worker side of the loyalty ledger: bull processors and outbox consumers. */
@Module({ imports: [LedgerModule], providers: [] })
export class LedgerJobsModule {}
