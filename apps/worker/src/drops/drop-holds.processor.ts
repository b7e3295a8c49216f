import { Process, Processor } from '@nestjs/bull';
import { Inject } from '@nestjs/common';
import type { Job } from 'bull';
import { QUEUES } from '@app/common';
import { type DropJobData, DropJobNames, DropStockStore } from '@app/drops';

/**
 * Holds (bull `drop-holds`): `reconcile` when Postgres refused a hold Redis had granted (Redis
 * drifted: its counters are compared and rebuilt from Postgres). Expiry is DropHoldExpiryPoller.
 */
@Processor(QUEUES.dropHolds)
export class DropHoldsProcessor {
  constructor(@Inject(DropStockStore) private readonly stock: DropStockStore) {}

  @Process(DropJobNames.reconcile)
  async reconcile(job: Job<DropJobData>): Promise<{ rebuilt: boolean }> {
    return { rebuilt: await this.stock.reconcile(job.data.brandId, job.data.dropId) };
  }
}
