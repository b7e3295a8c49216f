import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { AppConfig } from '@app/config';
import { OutboxConsumerRegistry } from './consumer-registry';
import { retryDelayMs } from './outbox.backoff';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRepository } from './outbox.repository';
import type { ClaimedMessage, DeliveryContext, OutboxConsumer } from './outbox.types';

export const OUTBOX_DRAINER_OPTIONS = Symbol('OUTBOX_DRAINER_OPTIONS');

export interface OutboxDrainerOptions {
  /** Unique per process; defaults to `hostname:pid:random`. */
  id?: string;
  /** Messages of one batch delivered at the same time (default 8). */
  concurrency?: number;
  /** Start polling when the Nest application boots (default true). */
  autoStart?: boolean;
  /** Overrides of `config.outbox` (tests, tools). */
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

/** What one `drainOnce()` did with the messages it claimed. */
export interface DrainResult {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  /** The claim was lost (lease expired, re-claimed elsewhere) or its outcome not recorded. */
  lost: number;
  /** Given back unstarted because the drainer is stopping. */
  returned: number;
}

type Outcome = Exclude<keyof DrainResult, 'claimed'>;

/** Time kept back from the lease so the outcome is written before another drainer may claim. */
const LEASE_MARGIN_MS = 250;
const MAX_ERROR_BACKOFF_MS = 30_000;

export function newDrainerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

function rejectOnAbort(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Delivers outbox messages at least once. Each round claims a batch (short committed
 * transaction, SKIP LOCKED, lease), hands every message to each consumer whose topics match,
 * then marks it delivered when all of them succeeded, or releases it with exponential backoff
 * (dead-lettered after `maxAttempts`). Any number of drainers can run side by side.
 */
@Injectable()
export class OutboxDrainer implements OnApplicationBootstrap, OnModuleDestroy {
  readonly id: string;
  private readonly logger = new Logger(OutboxDrainer.name);
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  private loop?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  private readonly inFlight = new Set<Promise<DrainResult>>();

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(OutboxRepository) private readonly repository: OutboxRepository,
    @Inject(OutboxConsumerRegistry) private readonly registry: OutboxConsumerRegistry,
    @Inject(OutboxMetrics) private readonly metrics: OutboxMetrics,
    @Optional()
    @Inject(OUTBOX_DRAINER_OPTIONS)
    private readonly options: OutboxDrainerOptions = {},
  ) {
    this.id = options.id ?? newDrainerId();
    this.pollMs = options.pollMs ?? config.outbox.pollMs;
    this.batchSize = options.batchSize ?? config.outbox.batchSize;
    this.leaseMs = options.leaseMs ?? config.outbox.leaseMs;
    this.maxAttempts = options.maxAttempts ?? config.outbox.maxAttempts;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
  }

  /** True while the polling loop runs and no stop was requested. */
  get running(): boolean {
    return this.loop !== undefined && !this.stopping;
  }

  onApplicationBootstrap(): void {
    if (this.options.autoStart ?? true) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Starts the polling loop: back-to-back rounds while batches come back full, else sleeps pollMs. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.logger.log(`outbox drainer ${this.id} started`);
    this.loop = this.run().finally(() => {
      this.loop = undefined;
    });
  }

  /** Stops polling and waits for messages already being delivered; unstarted ones go back. */
  async stop(): Promise<void> {
    const wasRunning = this.loop !== undefined;
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    if (wasRunning) this.logger.log(`outbox drainer ${this.id} stopped`);
  }

  /** Skips the current sleep (e.g. right after publishing in-process). */
  poke(): void {
    this.wake?.();
  }

  /** One round: claim a batch and settle every message in it. Exposed for tests and tools. */
  drainOnce(): Promise<DrainResult> {
    const round = this.round();
    this.inFlight.add(round);
    void round.finally(() => this.inFlight.delete(round)).catch(() => undefined);
    return round;
  }

  private async run(): Promise<void> {
    let errors = 0;
    while (!this.stopping) {
      let full = false;
      try {
        full = (await this.drainOnce()).claimed >= this.batchSize;
        errors = 0;
      } catch (error) {
        errors += 1;
        this.logger.error(`outbox round failed: ${(error as Error).message}`);
      }
      if (this.stopping || full) continue;
      await this.sleep(
        errors ? Math.min(this.pollMs * 2 ** errors, MAX_ERROR_BACKOFF_MS) : this.pollMs,
      );
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async round(): Promise<DrainResult> {
    const claimedAt = Date.now();
    const batch = await this.repository.claim(this.id, this.batchSize, this.leaseMs);
    const result: DrainResult = {
      claimed: batch.length,
      delivered: 0,
      retried: 0,
      dead: 0,
      lost: 0,
      returned: 0,
    };
    const queue = [...batch];
    const worker = async (): Promise<void> => {
      for (let message = queue.shift(); message; message = queue.shift()) {
        result[await this.settle(message, claimedAt)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, worker));
    return result;
  }

  /** Delivers one claimed message and records the outcome; never throws. */
  private async settle(message: ClaimedMessage, claimedAt: number): Promise<Outcome> {
    try {
      const remaining = claimedAt + this.leaseMs - LEASE_MARGIN_MS - Date.now();
      if (this.stopping || remaining <= 0) {
        // Not started: hand it back (a no-op if the lease already went to someone else).
        await this.repository.unclaim(message);
        return this.stopping ? 'returned' : 'lost';
      }
      if (message.attempts > this.maxAttempts) {
        // The last allowed attempt never reported back (crash or hang): stop trying.
        await this.repository.markDead(
          message,
          `attempt ${message.attempts} exceeds the maximum of ${this.maxAttempts}; earlier attempts never finished`,
        );
        this.metrics.deadLettered.inc({ topic: message.topic });
        return 'dead';
      }
      const failures = await this.deliver(message, remaining);
      if (!failures.length) {
        if (await this.repository.markDelivered(message)) {
          this.metrics.delivered.inc({ topic: message.topic });
          return 'delivered';
        }
        this.logger.warn(
          `outbox message ${message.id} was re-claimed before it could be marked delivered`,
        );
        return 'lost';
      }
      const error = failures.join('; ');
      if (message.attempts >= this.maxAttempts) {
        await this.repository.markDead(message, error);
        this.metrics.deadLettered.inc({ topic: message.topic });
        this.logger.error(
          `outbox message ${message.id} (${message.topic}) dead after ${message.attempts} attempts: ${error}`,
        );
        return 'dead';
      }
      await this.repository.release(message, error, retryDelayMs(message.attempts));
      return 'retried';
    } catch (error) {
      // The outcome could not be written (database down?): the lease expiry redelivers it.
      this.logger.error(`outbox message ${message.id}: ${(error as Error).message}`);
      return 'lost';
    }
  }

  /** Runs every matching consumer at once; returns `name: error` for each that failed. */
  private async deliver(message: ClaimedMessage, timeoutMs: number): Promise<string[]> {
    const consumers = this.registry.consumersFor(message.topic);
    if (!consumers.length) return [];
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`not finished within the ${this.leaseMs} ms lease`)),
      timeoutMs,
    );
    const ctx: DeliveryContext = {
      attempt: message.attempts,
      drainerId: this.id,
      signal: controller.signal,
    };
    try {
      const outcomes = await Promise.all(
        consumers.map((consumer) => this.handleOne(consumer, message, ctx)),
      );
      return outcomes.filter((failure): failure is string => failure !== undefined);
    } finally {
      clearTimeout(timer);
    }
  }

  private async handleOne(
    consumer: OutboxConsumer,
    message: ClaimedMessage,
    ctx: DeliveryContext,
  ): Promise<string | undefined> {
    const abort = rejectOnAbort(ctx.signal);
    try {
      await Promise.race([
        Promise.resolve().then(() => consumer.handle(message, ctx)),
        abort.promise,
      ]);
      return undefined;
    } catch (error) {
      this.metrics.failures.inc({ consumer: consumer.name });
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        `outbox consumer ${consumer.name} failed on ${message.topic} ${message.id} (attempt ${message.attempts}): ${reason}`,
      );
      return `${consumer.name}: ${reason}`;
    } finally {
      abort.dispose();
    }
  }
}
