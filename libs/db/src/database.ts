import { type NodePgDatabase, drizzle } from 'drizzle-orm/node-postgres';
import { Pool, type PoolConfig } from 'pg';
import * as schema from './schema';

export type Database = NodePgDatabase<typeof schema>;
/** A transaction handle; repositories accept it wherever they accept the database. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;

/**
 * Owns the pg pool and the drizzle handle. Repositories take an optional `Executor` so a
 * service can run several of them inside one explicit transaction.
 */
export class DatabaseClient {
  readonly pool: Pool;
  readonly db: Database;

  constructor(options: PoolConfig & { connectionString: string }) {
    this.pool = new Pool({ idleTimeoutMillis: 30_000, ...options });
    // A broken idle connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.db = drizzle(this.pool, { schema });
  }

  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>, existing?: Executor): Promise<T> {
    if (existing && existing !== this.db) return work(existing as Transaction);
    return this.db.transaction(work);
  }

  async ping(): Promise<void> {
    await this.pool.query('select 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
