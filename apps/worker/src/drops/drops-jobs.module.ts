import { Module } from '@nestjs/common';
import { DropStockBroadcastModule, DropsModule } from '@app/drops';
import { DropHoldExpiryPoller } from './drop-hold-expiry.poller';
import { DropHoldsProcessor } from './drop-holds.processor';
import { DropScheduleProcessor, DropSweepScheduler } from './drop-schedule.processor';

/**
 * Worker side of live drops: state-machine jobs, hold expiry, reconciliation, raffle draws. The
 * stock broadcaster is imported so units freed by expiries here reach the room's clients too.
 */
@Module({
  imports: [DropsModule, DropStockBroadcastModule],
  providers: [DropScheduleProcessor, DropSweepScheduler, DropHoldsProcessor, DropHoldExpiryPoller],
})
export class DropsJobsModule {}
