import 'reflect-metadata';
import { AppConfig, ConfigError } from '@app/config';
import { OutboxDrainer } from '@app/outbox';
import { createWorkerApp } from './bootstrap';

async function main(): Promise<void> {
  const config = AppConfig.load();
  const app = await createWorkerApp(config);
  // SIGTERM/SIGINT close the app (enableShutdownHooks): the drainer finishes in-flight
  // messages, bull closes its queues, then the pools close.
  await app.listen(config.http.workerPort, config.http.host);
  const url = await app.getUrl();
  process.stdout.write(`worker ${app.get(OutboxDrainer).id} up; health at ${url}/health\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `worker failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
