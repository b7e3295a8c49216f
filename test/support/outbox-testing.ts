import { sql } from 'drizzle-orm';
import type { AppConfig } from '@app/config';
import type { DatabaseClient } from '@app/db';
import {
  IdempotentConsumer,
  type OutboxConsumer,
  OutboxConsumerRegistry,
  OutboxDrainer,
  type OutboxDrainerOptions,
  type OutboxMessage,
  OutboxMetrics,
  OutboxRepository,
} from '@app/outbox';

/** Polls `probe` until it returns a truthy value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 10_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface DrainerKit {
  drainer: OutboxDrainer;
  repository: OutboxRepository;
  registry: OutboxConsumerRegistry;
  idempotent: IdempotentConsumer;
  metrics: OutboxMetrics;
}

/** A drainer wired by hand (no Nest), as the crash-test child process builds it too. */
export function buildDrainer(
  config: AppConfig,
  db: DatabaseClient,
  consumers: Array<OutboxConsumer | ((idempotent: IdempotentConsumer) => OutboxConsumer)>,
  options: OutboxDrainerOptions = {},
): DrainerKit {
  const repository = new OutboxRepository(db);
  const idempotent = new IdempotentConsumer(db, repository);
  const registry = new OutboxConsumerRegistry();
  for (const consumer of consumers) {
    registry.register(typeof consumer === 'function' ? consumer(idempotent) : consumer);
  }
  const metrics = new OutboxMetrics();
  const drainer = new OutboxDrainer(config, repository, registry, metrics, {
    autoStart: false,
    ...options,
  });
  return { drainer, repository, registry, idempotent, metrics };
}

/** Table the effect consumer writes to; no unique key, so a double application would show. */
export const EFFECTS_TABLE = 'outbox_test_effects';

export async function createEffectsTable(db: DatabaseClient): Promise<void> {
  await db.pool.query(`
    create table if not exists ${EFFECTS_TABLE} (
      consumer text not null,
      message_id uuid not null,
      attempt integer not null,
      drainer_id text not null,
      applied_at timestamptz not null default now()
    )`);
}

export interface EffectConsumer extends OutboxConsumer {
  applied: string[];
  skipped: string[];
}

/**
 * A consumer whose effect (one row in EFFECTS_TABLE) goes through IdempotentConsumer.runOnce.
 * `afterCommit` runs after the effect's transaction committed, before the handler returns.
 */
export function effectConsumer(
  idempotent: IdempotentConsumer,
  {
    name = 'effects',
    topics = '*',
    afterCommit,
  }: {
    name?: string;
    topics?: OutboxConsumer['topics'];
    afterCommit?: (message: OutboxMessage, applied: boolean) => Promise<void>;
  } = {},
): EffectConsumer {
  const applied: string[] = [];
  const skipped: string[] = [];
  return {
    name,
    topics,
    applied,
    skipped,
    async handle(message, ctx) {
      const result = await idempotent.runOnce(name, message.id, (tx) =>
        tx.execute(sql`
          insert into ${sql.identifier(EFFECTS_TABLE)} (consumer, message_id, attempt, drainer_id)
          values (${name}, ${message.id}, ${ctx.attempt}, ${ctx.drainerId})`),
      );
      (result.applied ? applied : skipped).push(message.id);
      await afterCommit?.(message, result.applied);
    },
  };
}

export interface MessageRow {
  attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  available_at: Date;
  delivered_at: Date | null;
  dead_at: Date | null;
  last_error: string | null;
}

export async function messageRow(db: DatabaseClient, id: string): Promise<MessageRow> {
  const { rows } = await db.pool.query<MessageRow>(
    `select attempts, locked_by, locked_until, available_at, delivered_at, dead_at, last_error
       from outbox_messages where id = $1`,
    [id],
  );
  if (!rows[0]) throw new Error(`outbox message ${id} not found`);
  return rows[0];
}

export async function countRows(
  db: DatabaseClient,
  query: string,
  params: unknown[] = [],
): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `select count(*)::int as n from (${query}) q`,
    params,
  );
  return rows[0].n;
}
