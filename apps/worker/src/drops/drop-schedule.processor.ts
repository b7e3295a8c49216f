import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bull';
import { QUEUES } from '@app/common';
import {
  type DropJobData,
  DropJobNames,
  DropStockStore,
  DropsRepository,
  DropsService,
  HoldsService,
  RaffleService,
} from '@app/drops';

/** The safety net behind the delayed jobs runs this often. */
export const DROP_SWEEP_EVERY_MS = 30_000;

/**
 * Timed moves of drops (bull `drop-schedule`): each delayed `advance` moves a drop to the status
 * the clock says (a late or duplicate job is a no-op: the drop is already there, or its version
 * moved on); `raffle-draw` at the close of entries; the repeatable `sweep` catches anything a lost
 * job missed (due moves, due holds) and reconciles Redis stock with Postgres.
 */
@Processor(QUEUES.dropSchedule)
export class DropScheduleProcessor {
  constructor(
    @Inject(DropsService) private readonly drops: DropsService,
    @Inject(RaffleService) private readonly raffles: RaffleService,
    @Inject(HoldsService) private readonly holds: HoldsService,
    @Inject(DropsRepository) private readonly repository: DropsRepository,
    @Inject(DropStockStore) private readonly stock: DropStockStore,
  ) {}

  @Process(DropJobNames.advance)
  async advance(job: Job<DropJobData>): Promise<{ status: string | null }> {
    const moved = await this.drops.advance(job.data.brandId, job.data.dropId);
    return { status: moved?.status ?? null };
  }

  @Process(DropJobNames.draw)
  async draw(job: Job<DropJobData>): Promise<{ drawn: boolean }> {
    return { drawn: await this.raffles.draw(job.data.brandId, job.data.dropId) };
  }

  @Process(DropJobNames.sweep)
  async sweep(): Promise<{ moved: number; expired: number; rebuilt: number }> {
    const moved = await this.drops.advanceDue();
    const expired = await this.holds.expireDue();
    let rebuilt = 0;
    for (const drop of await this.repository.active(500))
      if (await this.stock.reconcile(drop.brandId, drop.id)) rebuilt++;
    return { moved, expired, rebuilt };
  }
}

/**
 * Schedules the repeatable sweep (one schedule however many workers run) and, at startup, runs
 * one reconciliation: Redis counters lost while nothing ran are rebuilt from Postgres.
 */
@Injectable()
export class DropSweepScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(DropSweepScheduler.name);

  constructor(
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(DropsRepository) private readonly repository: DropsRepository,
    @Inject(DropStockStore) private readonly stock: DropStockStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.dropSchedule), { strict: false });
    for (const job of await queue.getRepeatableJobs()) {
      if (job.name === DropJobNames.sweep && Number(job.every) !== DROP_SWEEP_EVERY_MS)
        await queue.removeRepeatableByKey(job.key);
    }
    await queue.add(
      DropJobNames.sweep,
      {},
      { repeat: { every: DROP_SWEEP_EVERY_MS }, removeOnComplete: 50, removeOnFail: 50 },
    );
    let rebuilt = 0;
    for (const drop of await this.repository.active(500))
      if (await this.stock.reconcile(drop.brandId, drop.id)) rebuilt++;
    this.logger.log(
      `drop sweep scheduled every ${DROP_SWEEP_EVERY_MS} ms; ${rebuilt} stocks rebuilt`,
    );
  }
}
