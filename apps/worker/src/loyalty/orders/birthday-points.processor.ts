import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { QUEUES } from '@app/common';
import { BirthdayPointsService } from '@app/loyalty';

export const BIRTHDAY_JOB = 'run';
/** Daily at 00:10 UTC. */
export const BIRTHDAY_CRON = '10 0 * * *';

/** Runs the daily birthday award (idempotent per member and year, so re-runs are harmless). */
@Processor(QUEUES.birthdayPoints)
export class BirthdayPointsProcessor {
  constructor(@Inject(BirthdayPointsService) private readonly birthdays: BirthdayPointsService) {}

  @Process(BIRTHDAY_JOB)
  async run(): Promise<{ considered: number; awarded: number }> {
    return this.birthdays.run(new Date());
  }
}

/**
 * Schedules the repeatable birthday job once, however many workers run. The queue is registered
 * by the worker module, so it is looked up across modules rather than injected here.
 */
@Injectable()
export class BirthdayPointsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(BirthdayPointsScheduler.name);

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.birthdayPoints), {
      strict: false,
    });
    // A schedule left by a deployment with another cron would keep firing: drop it.
    for (const job of await queue.getRepeatableJobs()) {
      if (job.name === BIRTHDAY_JOB && job.cron !== BIRTHDAY_CRON)
        await queue.removeRepeatableByKey(job.key);
    }
    await queue.add(
      BIRTHDAY_JOB,
      {},
      { repeat: { cron: BIRTHDAY_CRON, tz: 'UTC' }, removeOnComplete: true, removeOnFail: 50 },
    );
    this.logger.log(`birthday points scheduled (${BIRTHDAY_CRON} UTC)`);
  }
}
