import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@app/config';
import { DatabaseClient, runMigrations } from '@app/db';
import { seedDemo } from '@app/demo';
import { BrandsService } from '@app/identity';
import { CliModule } from './cli.module';
import { checkPostgres } from './preflight';

export class UsageError extends Error {}

type Log = (line: string) => void;

export interface CreateBrandArgs {
  slug?: string;
  name?: string;
  ownerEmail?: string;
  ownerName?: string;
  ownerPassword?: string;
}

/** Platform operator: creates a brand and its first owner (same service as the operator endpoint). */
export async function createBrand(
  config: AppConfig,
  args: CreateBrandArgs,
  log: Log,
): Promise<void> {
  const { slug, name, ownerEmail } = args;
  const password = args.ownerPassword;
  if (!slug || !name || !ownerEmail || !password) {
    throw new UsageError(
      'create-brand needs --slug, --name, --owner-email and a password (OWNER_PASSWORD env, preferred, or --owner-password)',
    );
  }
  await checkPostgres(config);
  await runMigrations(config.db.url);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: false,
  });
  try {
    const { brand, owner } = await app.get(BrandsService).createBrandWithOwner(
      {
        slug,
        name,
        owner: { email: ownerEmail, displayName: args.ownerName ?? ownerEmail, password },
      },
      { type: 'operator', id: 'cli' },
    );
    log(`created brand ${brand.slug} (${brand.id}) with owner ${owner.email} (${owner.id})`);
  } finally {
    await app.close();
  }
}

/** `npm run seed:demo`: the demo brand from The Complete Journey; a re-run inserts nothing. */
export async function seedDemoData(config: AppConfig, log: Log): Promise<void> {
  await checkPostgres(config);
  await runMigrations(config.db.url);
  const db = new DatabaseClient({ connectionString: config.db.url, max: 4 });
  try {
    const result = await seedDemo({ db, config, log });
    log(`seeded brand "${result.brandSlug}" in ${(result.elapsedMs / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }
}
