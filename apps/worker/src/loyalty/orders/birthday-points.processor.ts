import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
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

/** Schedules the repeatable birthday job once, however many workers run. */
@Injectable()
export class BirthdayPointsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(BirthdayPointsScheduler.name);

  constructor(@InjectQueue(QUEUES.birthdayPoints) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.add(
      BIRTHDAY_JOB,
      {},
      { repeat: { cron: BIRTHDAY_CRON, tz: 'UTC' }, removeOnComplete: true, removeOnFail: 50 },
    );
    this.logger.log(`birthday points scheduled (${BIRTHDAY_CRON} UTC)`);
  }
}
