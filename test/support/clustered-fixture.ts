/**
 * A tiny app run by runClustered (clustered.spec.ts): answers its own pid, counting each answer
 * in the request histogram, and serves /metrics as the api does.
 */
import { createServer } from 'node:http';
import { Metrics } from '../../libs/common/src/metrics/metrics';
import { runClustered } from '../../libs/common/src/process/clustered';

void runClustered({ workers: Number(process.env.WORKERS ?? 2), restartDelayMs: 50 }, async () => {
  const metrics = new Metrics('fixture');
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      metrics.scrape().then(
        (text) => res.end(text),
        (error: Error) => res.writeHead(500).end(error.message),
      );
      return;
    }
    metrics.httpDuration.observe({ method: 'GET', route: '/', status: '200' }, 0.001);
    res.end(String(process.pid));
  });
  await new Promise<void>((ok) => server.listen(Number(process.env.PORT), '127.0.0.1', ok));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
});
