import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppConfig, type Env } from '@app/config';
import { DatabaseClient, ensureDatabase, migrationsFolder, runMigrations } from '@app/db';

/** Server URL for tests (database part is replaced); CI and local machines use trust auth. */
export const TEST_SERVER_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const STALE_AFTER_SECONDS = 3600;
const STALE_TEMPLATE_AFTER_SECONDS = 24 * 3600;

function urlFor(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The template's name changes whenever a migration changes, so runs never share a stale schema. */
export function templateName(): string {
  const dir = migrationsFolder();
  const hash = createHash('sha256');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(join(dir, file)));
  }
  return `loyalty_tpl_${hash.digest('hex').slice(0, 12)}`;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Builds the migrated template once per migration set (concurrent jest runs cooperate). */
export async function prepareTemplate(): Promise<string> {
  const name = templateName();
  await withAdmin(async (admin) => {
    const now = Math.floor(Date.now() / 1000);
    // Templates carry their creation time as a comment: another checkout on the same server
    // (CI in a clone, a second branch) may still be using an older one, so only old ones go.
    const { rows } = await admin.query<{ datname: string; note: string | null }>(
      `select datname, shobj_description(oid, 'pg_database') as note from pg_database
        where datname like 't\\_%' or datname like 'loyalty\\_tpl\\_%'`,
    );
    for (const { datname, note } of rows) {
      const created = datname.startsWith('t_')
        ? Number(/^t_(\d+)_/.exec(datname)?.[1] ?? NaN)
        : Number(/^created (\d+)$/.exec(note ?? '')?.[1] ?? NaN);
      const maxAge = datname.startsWith('t_') ? STALE_AFTER_SECONDS : STALE_TEMPLATE_AFTER_SECONDS;
      const stale = datname !== name && Number.isFinite(created) && now - created > maxAge;
      if (stale) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return;
    const building = `${name}_tmp_${randomBytes(4).toString('hex')}`;
    await admin.query(`create database "${building}"`);
    await runMigrations(urlFor(building));
    await admin.query(`comment on database "${building}" is 'created ${now}'`);
    try {
      await admin.query(`alter database "${building}" rename to "${name}"`);
    } catch (error) {
      // Another run renamed its copy first: use theirs.
      await admin.query(`drop database if exists "${building}" with (force)`);
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
  });
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, copied from the template in a few ms. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await prepareTemplate();
  const name = `t_${Math.floor(Date.now() / 1000)}_${randomBytes(5).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database "${name}" template "${template}"`));
  return {
    name,
    url: urlFor(name),
    drop: () =>
      withAdmin((admin) => admin.query(`drop database if exists "${name}" with (force)`)).then(
        () => undefined,
      ),
  };
}

/** Config for a test: its own database and its own Redis key prefix, quiet logs, fast KDF. */
export function testConfig(
  databaseUrl: string,
  overrides: Partial<Record<keyof Env, string>> = {},
): AppConfig {
  return AppConfig.load(
    {},
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `test_${randomBytes(5).toString('hex')}`,
      SCRYPT_COST: '1024',
      API_PORT: '0',
      WORKER_PORT: '0',
      RECOMMENDER_PORT: '0',
      ...overrides,
    },
  );
}

export interface TestContext {
  config: AppConfig;
  db: DatabaseClient;
  database: TestDatabase;
  close(): Promise<void>;
}

/** One isolated database + Redis prefix + a connected client; call `close()` in afterAll. */
export async function createTestContext(
  overrides: Partial<Record<keyof Env, string>> = {},
): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, overrides);
  const db = new DatabaseClient({ connectionString: database.url, max: 5 });
  return {
    config,
    db,
    database,
    close: async () => {
      await db.close();
      await database.drop();
    },
  };
}

export { ensureDatabase };
