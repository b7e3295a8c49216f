import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { exposeToCluster, scrape } from './cluster-metrics';

/**
 * One Prometheus registry per process, with default process metrics. `scrape` answers for the
 * whole cluster when the app runs as several workers (cluster-metrics.ts).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(app: string) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route template',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    exposeToCluster(this.registry);
  }

  scrape(): Promise<string> {
    return scrape(this.registry);
  }
}
