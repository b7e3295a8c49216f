import cluster, { type Worker } from 'node:cluster';
import { CLUSTER_WORKER_ENV, serveClusterScrapes } from '../metrics/cluster-metrics';

export interface ClusterOptions {
  /** Processes serving the app; 1 runs it in this process, without a primary. */
  workers: number;
  /** Wait before replacing a worker that died, so a crash loop does not spin. */
  restartDelayMs?: number;
  log?: (line: string) => void;
}

/**
 * Runs `start` in `workers` processes sharing the listening port (node:cluster): the primary only
 * forks, replaces a worker that dies, and forwards SIGINT/SIGTERM so every worker shuts down
 * gracefully before it exits; it also answers the workers' metrics scrapes. Each worker is a whole app: anything shared between them lives in
 * Postgres or Redis, as it must between hosts anyway.
 */
export async function runClustered(
  options: ClusterOptions,
  start: () => Promise<void>,
): Promise<void> {
  if (options.workers <= 1 || !cluster.isPrimary) return start();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let stopping = false;
  // Tracked here: a worker is still listed in cluster.workers while its 'exit' handlers run.
  const live = new Set<Worker>();
  const fork = () => live.add(cluster.fork({ [CLUSTER_WORKER_ENV]: '1' }));
  serveClusterScrapes();
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    if (stopping) {
      if (live.size === 0) process.exit(0);
      return;
    }
    log(`worker ${worker.process.pid} died (${signal ?? code}); starting another`);
    setTimeout(fork, options.restartDelayMs ?? 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (live.size === 0) process.exit(0);
    for (const worker of live) worker.process.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  for (let i = 0; i < options.workers; i++) fork();
  log(`primary ${process.pid}: ${options.workers} workers`);
}
