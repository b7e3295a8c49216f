import Redis from 'ioredis';
import { Client } from 'pg';
import type { AppConfig } from '@app/config';
import { ensureDatabase } from '@app/db';

export class PreflightError extends Error {}

/** A URL safe to print: the password is masked. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable url>';
  }
}

const POSTGRES_HINT = [
  'Start PostgreSQL 15 and point DATABASE_URL at it, for example:',
  '  Debian/Ubuntu:  sudo pg_ctlcluster 15 main start',
  '  Docker:         docker compose up -d postgres',
  '  or set DATABASE_URL=postgres://user:pass@host:5432/loyalty',
].join('\n');

const REDIS_HINT = [
  'Start Redis 7 and point REDIS_URL at it, for example:',
  '  Debian/Ubuntu:  redis-server --daemonize yes --port 6379',
  '  Docker:         docker compose up -d redis',
  '  or set REDIS_URL=redis://host:6379',
].join('\n');

/** Fails with a message naming the URL and how to start the service when Postgres is down. */
export async function checkPostgres(config: AppConfig): Promise<{ created: boolean }> {
  const server = new URL(config.db.url);
  server.pathname = '/postgres';
  const probe = new Client({ connectionString: server.toString(), connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
    await probe.query('select 1');
  } catch (error) {
    throw new PreflightError(
      `Cannot reach PostgreSQL at ${redactUrl(config.db.url)}: ${(error as Error).message}\n${POSTGRES_HINT}`,
    );
  } finally {
    await probe.end().catch(() => undefined);
  }
  return { created: await ensureDatabase(config.db.url) };
}

export async function checkRedis(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redis.url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new PreflightError(
      `Cannot reach Redis at ${redactUrl(config.redis.url)}: ${(error as Error).message || 'connection refused'}\n${REDIS_HINT}`,
    );
  } finally {
    redis.disconnect();
  }
}
