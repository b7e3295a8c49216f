import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DomainError } from '@app/common';
import { AppConfig, ConfigError } from '@app/config';
import { runMigrations } from '@app/db';
import { UsageError, createBrand, seedDemoData } from './commands';
import { PreflightError, checkPostgres } from './preflight';
import { printEndpoints, start } from './start';

const USAGE = `Usage: node dist/apps/cli/src/main.js <command>

Commands:
  start          check Postgres/Redis, migrate, run api + worker + recommender
  migrate        create the database if missing and apply migrations
  create-brand   --slug <slug> --name <name> --owner-email <email> [--owner-name <name>]
                 (owner password from OWNER_PASSWORD, or --owner-password)
  seed-demo      load the demo brand from The Complete Journey (idempotent)
`;

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        slug: { type: 'string' },
        name: { type: 'string' },
        'owner-email': { type: 'string' },
        'owner-name': { type: 'string' },
        'owner-password': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
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
    case 'create-brand':
      await createBrand(
        config,
        {
          slug: values.slug,
          name: values.name,
          ownerEmail: values['owner-email'],
          ownerName: values['owner-name'],
          ownerPassword: values['owner-password'] ?? process.env.OWNER_PASSWORD,
        },
        log,
      );
      return 0;
    case 'seed-demo':
      await seedDemoData(config, log);
      return 0;
    default:
      process.stderr.write(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    const expected =
      error instanceof ConfigError ||
      error instanceof PreflightError ||
      error instanceof DomainError;
    process.stderr.write(
      expected ? `${error.message}\n` : `${(error as Error).stack ?? String(error)}\n`,
    );
    process.exit(1);
  },
);
