/** A tiny app run by runClustered: answers its own pid (clustered.spec.ts). */
import { createServer } from 'node:http';
import { runClustered } from '../../libs/common/src/process/clustered';

void runClustered({ workers: Number(process.env.WORKERS ?? 2), restartDelayMs: 50 }, async () => {
  const server = createServer((_req, res) => res.end(String(process.pid)));
  await new Promise<void>((ok) => server.listen(Number(process.env.PORT), '127.0.0.1', ok));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
});
