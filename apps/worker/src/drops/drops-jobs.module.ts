import { Module } from '@nestjs/common';
import { DropsModule } from '@app/drops';
import { DropHoldsProcessor } from './drop-holds.processor';
import { DropScheduleProcessor, DropSweepScheduler } from './drop-schedule.processor';

/** Worker side of live drops: state-machine jobs, hold expiry, reconciliation, raffle draws. */
@Module({
  imports: [DropsModule],
  providers: [DropScheduleProcessor, DropSweepScheduler, DropHoldsProcessor],
})
export class DropsJobsModule {}
