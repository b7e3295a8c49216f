import 'reflect-metadata';
import { runClustered } from '@app/common';
import { AppConfig, ConfigError } from '@app/config';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = AppConfig.load();
  await runClustered({ workers: config.http.apiWorkers }, async () => {
    const app = await createApiApp(config);
    await app.listen(config.http.apiPort, config.http.host);
    const url = await app.getUrl();
    process.stdout.write(`api listening on ${url} (docs at ${url}/docs)\n`);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `api failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
