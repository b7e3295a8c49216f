import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Client } from 'pg';

/** Any stable 64-bit number: serialises concurrent migrators (several api pods booting at once). */
const MIGRATION_LOCK_ID = 7_242_023_001;

/** Finds the committed SQL migrations both from source (ts) and from the build output (dist). */
export function migrationsFolder(): string {
  const candidates = [
    resolve(__dirname, '../migrations'),
    resolve(__dirname, '../../../../libs/db/migrations'),
    join(process.cwd(), 'libs/db/migrations'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'meta/_journal.json')));
  if (!found) throw new Error(`migrations folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Creates the database named in `url` when it does not exist yet (local convenience). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) return false;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`create database "${name.replace(/"/g, '""')}"`);
    } catch (error) {
      // Lost a race with another process creating it: fine.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** Applies pending migrations under an advisory lock; safe to call from several processes. */
export async function runMigrations(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await client.query('set client_min_messages = warning');
      await migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await client.end();
  }
}
