import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '@app/config';
import { QUEUES, RedisClient } from '@app/common';
import { WORKER_ID } from '../worker-id';

export const HEARTBEAT_JOB = 'beat';

export interface Heartbeat {
  /** ISO time the job ran. */
  at: string;
  workerId: string;
}

export const heartbeatKey = (config: AppConfig) => `${config.redis.prefix}:worker:heartbeat`;

/**
 * A repeatable bull job whose only effect is to record when some worker last processed a job:
 * it proves the queue, the scheduler and a processor are wired end to end.
 */
@Processor(QUEUES.heartbeat)
export class HeartbeatProcessor {
  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(WORKER_ID) private readonly workerId: string,
  ) {}

  @Process(HEARTBEAT_JOB)
  async beat(): Promise<Heartbeat> {
    const beat: Heartbeat = { at: new Date().toISOString(), workerId: this.workerId };
    await this.redis.set(heartbeatKey(this.config), JSON.stringify(beat));
    return beat;
  }
}

/** Schedules the repeatable heartbeat (one schedule however many workers run) and reads it back. */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap {
  private readonly logger = new Logger(HeartbeatService.name);

  constructor(
    @InjectQueue(QUEUES.heartbeat) private readonly queue: Queue,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.worker.heartbeatEveryMs;
    const jobOptions = { removeOnComplete: true, removeOnFail: 50 };
    // A schedule left by a deployment with another interval would keep firing: drop it.
    for (const job of await this.queue.getRepeatableJobs()) {
      if (job.name === HEARTBEAT_JOB && Number(job.every) !== every) {
        await this.queue.removeRepeatableByKey(job.key);
      }
    }
    await this.queue.add(HEARTBEAT_JOB, {}, { ...jobOptions, repeat: { every } });
    // The first repeat fires up to `every` ms from now; beat once right away as well.
    await this.queue.add(HEARTBEAT_JOB, {}, jobOptions);
    this.logger.log(`heartbeat scheduled every ${every} ms`);
  }

  async last(): Promise<(Heartbeat & { ageMs: number; stale: boolean }) | null> {
    const raw = await this.redis.get(heartbeatKey(this.config));
    if (!raw) return null;
    const beat = JSON.parse(raw) as Heartbeat;
    const ageMs = Math.max(0, Date.now() - Date.parse(beat.at));
    return { ...beat, ageMs, stale: ageMs > 3 * this.config.worker.heartbeatEveryMs };
  }
}
