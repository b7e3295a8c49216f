import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AppConfig, ConfigError } from '@app/config';
import { runMigrations } from '@app/db';
import { PreflightError, checkPostgres } from './preflight';
import { printEndpoints, start } from './start';

const USAGE = `Usage: node dist/apps/cli/src/main.js <command>

Commands:
  start          check Postgres/Redis, migrate, run api + worker + recommender
  migrate        create the database if missing and apply migrations
`;

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const command = positionals[0];
  const config = AppConfig.load();
  switch (command) {
    case 'start':
      printEndpoints(config, log);
      return start(config, log);
    case 'migrate':
      await checkPostgres(config);
      await runMigrations(config.db.url);
      log('migrations applied');
      return 0;
    default:
      process.stderr.write(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof PreflightError)
      process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
