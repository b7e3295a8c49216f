import { Process, Processor } from '@nestjs/bull';
import { Inject } from '@nestjs/common';
import type { Job } from 'bull';
import { QUEUES } from '@app/common';
import {
  type DropJobData,
  DropJobNames,
  DropStockStore,
  type HoldJobData,
  ReservationsService,
} from '@app/drops';

/**
 * Holds (bull `drop-holds`): `expire-hold` at each hold's expiry (returns its units once: the
 * Postgres move out of 'held' is the gate), `reconcile` when Postgres refused a hold Redis had
 * granted (Redis drifted: its counters are compared and rebuilt from Postgres).
 */
@Processor(QUEUES.dropHolds)
export class DropHoldsProcessor {
  constructor(
    @Inject(ReservationsService) private readonly reservations: ReservationsService,
    @Inject(DropStockStore) private readonly stock: DropStockStore,
  ) {}

  @Process(DropJobNames.expireHold)
  async expire(job: Job<HoldJobData>): Promise<{ expired: boolean }> {
    return { expired: await this.reservations.expire(job.data.brandId, job.data.reservationId) };
  }

  @Process(DropJobNames.reconcile)
  async reconcile(job: Job<DropJobData>): Promise<{ rebuilt: boolean }> {
    return { rebuilt: await this.stock.reconcile(job.data.brandId, job.data.dropId) };
  }
}
