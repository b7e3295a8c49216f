import { type NodePgDatabase, drizzle } from 'drizzle-orm/node-postgres';
import { Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import * as schema from './schema';

export type Database = NodePgDatabase<typeof schema>;
/** A transaction handle; repositories accept it wherever they accept the database. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;

/**
 * A fixed SQL statement run as a named prepared statement: Postgres parses and plans it once per
 * connection, and the api neither rebuilds it through the query builder nor re-sends its text.
 * For the hot write paths (order ingestion, ledger batches); everything else uses drizzle.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

const statementNames = new Set<string>();

/** Declares a statement once, at module load; names must be unique across the process. */
export function statement(name: string, text: string): Statement {
  if (statementNames.has(name)) throw new Error(`statement ${name} declared twice`);
  statementNames.add(name);
  return { name, text };
}

/**
 * Runs a prepared statement on the executor's connection (inside its transaction when it is
 * one). Rows come back as pg returns them: snake_case columns, int8 as string.
 */
export async function runStatement<R extends QueryResultRow>(
  executor: Executor,
  st: Statement,
  values: unknown[],
): Promise<R[]> {
  // drizzle keeps the pg client (the pool, or the transaction's connection) on its session.
  const client = (executor as unknown as { session: { client: Pool | PoolClient } }).session.client;
  const result = await client.query<R>({ name: st.name, text: st.text, values });
  return result.rows;
}

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

  /** runStatement on this database, or inside `executor`'s transaction when given. */
  run<R extends QueryResultRow>(
    st: Statement,
    values: unknown[],
    executor?: Executor,
  ): Promise<R[]> {
    return runStatement<R>(executor ?? this.db, st, values);
  }

  async ping(): Promise<void> {
    await this.pool.query('select 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
