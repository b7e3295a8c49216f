import 'reflect-metadata';
import { AppConfig, ConfigError } from '@app/config';
import { createRecommenderApp } from './bootstrap';

async function main(): Promise<void> {
  const config = AppConfig.load();
  const app = await createRecommenderApp(config);
  await app.listen(config.http.recommenderPort, config.http.host);
  const url = await app.getUrl();
  process.stdout.write(`recommender listening on ${url} (docs at ${url}/docs)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `recommender failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
