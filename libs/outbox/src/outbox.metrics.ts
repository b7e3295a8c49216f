import { Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { OutboxStats } from './outbox.types';

/**
 * Outbox counters (incremented by the drainer) and gauges (read from Postgres at scrape time).
 * Created unregistered; an app adds them to its own registry with `register()`.
 */
@Injectable()
export class OutboxMetrics {
  readonly delivered = new Counter<'topic'>({
    name: 'outbox_delivered_total',
    help: 'Outbox messages delivered to every matching consumer',
    labelNames: ['topic'],
    registers: [],
  });
  readonly failures = new Counter<'consumer'>({
    name: 'outbox_delivery_failures_total',
    help: 'Failed deliveries of an outbox message to one consumer (the message is retried)',
    labelNames: ['consumer'],
    registers: [],
  });
  readonly deadLettered = new Counter<'topic'>({
    name: 'outbox_dead_lettered_total',
    help: 'Outbox messages given up on after the maximum number of attempts',
    labelNames: ['topic'],
    registers: [],
  });

  /** Adds the counters plus pending/dead/oldest-age gauges (one query per scrape) to `registry`. */
  register(registry: Registry, readStats: () => Promise<OutboxStats>): void {
    registry.registerMetric(this.delivered);
    registry.registerMetric(this.failures);
    registry.registerMetric(this.deadLettered);
    let current: { at: number; stats: Promise<OutboxStats | undefined> } | undefined;
    // The three gauges of one scrape share one query; a failing database leaves them stale.
    const stats = (): Promise<OutboxStats | undefined> => {
      if (!current || Date.now() - current.at > 500) {
        current = { at: Date.now(), stats: readStats().catch(() => undefined) };
      }
      return current.stats;
    };
    const gauge = (name: string, help: string, pick: (s: OutboxStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const value = await stats();
          if (value) this.set(pick(value));
        },
      });
    gauge('outbox_pending_messages', 'Outbox messages not yet delivered', (s) => s.pending);
    gauge('outbox_dead_messages', 'Dead-lettered outbox messages', (s) => s.dead);
    gauge(
      'outbox_oldest_pending_age_seconds',
      'How long the longest-waiting due outbox message has been deliverable',
      (s) => s.oldestPendingAgeSeconds,
    );
  }
}
