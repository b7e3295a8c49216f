import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * Metrics of an app run by runClustered (API_WORKERS > 1). Workers share one port, so a scrape
 * reaches one of them at random: that worker asks the primary, which collects every worker's
 * registry (prom-client's AggregatorRegistry: counters and histograms summed, gauges as each
 * declares) and answers with the whole cluster's text.
 */
const SCRAPE_REQUEST = 'loyalty:metrics-scrape';
const SCRAPE_ANSWER = 'loyalty:metrics-scraped';
/** Set by runClustered on the workers it forks: only then is there a primary that answers. */
export const CLUSTER_WORKER_ENV = 'LOYALTY_CLUSTER_WORKER';
const SCRAPE_TIMEOUT_MS = 6_000;

interface ScrapeRequest {
  type: typeof SCRAPE_REQUEST;
  id: string;
}
interface ScrapeAnswer {
  type: typeof SCRAPE_ANSWER;
  id: string;
  text?: string;
  error?: string;
}

export const isClusterWorker = () =>
  cluster.isWorker && process.env[CLUSTER_WORKER_ENV] === '1' && typeof process.send === 'function';

/** In the primary: answers the workers' scrape requests with every worker's metrics. */
export function serveClusterScrapes(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Partial<ScrapeRequest>) => {
    if (message?.type !== SCRAPE_REQUEST || typeof message.id !== 'string') return;
    const answer = (fields: Partial<ScrapeAnswer>) => {
      if (worker.isConnected()) worker.send({ type: SCRAPE_ANSWER, id: message.id, ...fields });
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

/** In a worker: its registry is the one the primary collects. */
export function exposeToCluster(registry: Registry): void {
  if (!isClusterWorker()) return;
  AggregatorRegistry.setRegistries([registry]);
  // prom-client starts answering the primary when the first AggregatorRegistry is built.
  new AggregatorRegistry();
}

/** The metrics text of the whole cluster (from a worker) or of this process alone. */
export function scrape(registry: Registry): Promise<string> {
  if (!isClusterWorker()) return registry.metrics();
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const onMessage = (message: Partial<ScrapeAnswer>) => {
      if (message?.type !== SCRAPE_ANSWER || message.id !== id) return;
      done();
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(`cluster metrics: ${message.error ?? 'no answer'}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('cluster metrics: the primary did not answer'));
    }, SCRAPE_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      process.off('message', onMessage);
    };
    process.on('message', onMessage);
    process.send!({ type: SCRAPE_REQUEST, id } satisfies ScrapeRequest);
  });
}
