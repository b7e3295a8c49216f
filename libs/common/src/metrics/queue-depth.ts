import type { Queue } from 'bull';
import { Gauge } from 'prom-client';
import type { Metrics } from './metrics';

/** Exposes waiting/active/delayed/failed counts of bull queues, read when Prometheus scrapes. */
export function registerQueueDepth(metrics: Metrics, queues: Queue[]): void {
  new Gauge({
    name: 'queue_depth',
    help: 'Jobs per bull queue and state',
    labelNames: ['queue', 'state'],
    registers: [metrics.registry],
    // Every worker of a cluster reads the same queues: their values are not to be summed.
    aggregator: 'max',
    async collect() {
      for (const queue of queues) {
        const counts = await queue.getJobCounts();
        for (const [state, value] of Object.entries(counts) as [string, number][]) {
          this.set({ queue: queue.name, state }, value);
        }
      }
    },
  });
}
