import { Module } from '@nestjs/common';

/** Worker side of live drops: state-machine jobs, hold expiry, reconciliation, raffle draws. */
@Module({})
export class DropsJobsModule {}
