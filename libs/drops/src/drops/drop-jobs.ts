import { getQueueToken } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { JobOptions, Queue } from 'bull';
import { QUEUES } from '@app/common';

/** Job names on QUEUES.dropSchedule and QUEUES.dropHolds (processors in apps/worker/src/drops). */
export const DropJobNames = {
  /** Move a drop to the status the clock says (no-op when already there). */
  advance: 'advance',
  draw: 'raffle-draw',
  /** Repeatable safety net: due transitions, due holds, Redis vs Postgres. */
  sweep: 'sweep',
  reconcile: 'reconcile',
} as const;

export interface DropJobData {
  brandId: string;
  dropId: string;
}

const OPTIONS: JobOptions = {
  removeOnComplete: 200,
  removeOnFail: 200,
  attempts: 5,
  backoff: { type: 'exponential', delay: 500 },
};

/**
 * Queues the delayed jobs of drops. The queues are registered by the app modules (api and
 * worker), so they are looked up across modules rather than injected.
 */
@Injectable()
export class DropJobs {
  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  private queue(name: string): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /** One delayed `advance` per instant; the job id makes re-scheduling the same instant a no-op. */
  async scheduleAdvances(brandId: string, dropId: string, instants: Date[]): Promise<void> {
    const queue = this.queue(QUEUES.dropSchedule);
    await Promise.all(
      instants.map((at) =>
        queue.add(DropJobNames.advance, { brandId, dropId } satisfies DropJobData, {
          ...OPTIONS,
          jobId: `advance-${dropId}-${at.getTime()}`,
          delay: Math.max(0, at.getTime() - Date.now()),
        }),
      ),
    );
  }

  async scheduleDraw(brandId: string, dropId: string, at: Date): Promise<void> {
    await this.queue(QUEUES.dropSchedule).add(
      DropJobNames.draw,
      { brandId, dropId } satisfies DropJobData,
      { ...OPTIONS, jobId: `draw-${dropId}`, delay: Math.max(0, at.getTime() - Date.now()) },
    );
  }

  /** Debounced: one pending reconcile per drop. */
  async requestReconcile(brandId: string, dropId: string): Promise<void> {
    await this.queue(QUEUES.dropHolds).add(
      DropJobNames.reconcile,
      { brandId, dropId } satisfies DropJobData,
      { ...OPTIONS, jobId: `reconcile-${dropId}-${Math.floor(Date.now() / 1000)}`, delay: 200 },
    );
  }
}
