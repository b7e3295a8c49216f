import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, processedMessages } from '@app/db';
import { truncateError } from './outbox.backoff';
import type { ClaimRef, ClaimedMessage, OutboxStats } from './outbox.types';

interface ClaimedRow extends Record<string, unknown> {
  brand_id: string;
  id: string;
  topic: string;
  key: string | null;
  payload: Record<string, unknown>;
  headers: Record<string, string> | null;
  created_at: Date;
  attempts: number;
  locked_by: string;
  locked_until: Date;
}

/** `locked_by` + `attempts` fence every write about a claim (see ClaimedMessage). */
const fence = (ref: ClaimRef) => sql`
  brand_id = ${ref.brandId} and id = ${ref.id}
  and locked_by = ${ref.lockedBy} and attempts = ${ref.attempts}
  and delivered_at is null and dead_at is null`;

/**
 * All SQL of the outbox drainer. Every method is one short auto-committed statement: no
 * transaction is ever held open while a message is being delivered.
 */
@Injectable()
export class OutboxRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /**
   * Claims up to `batchSize` due messages for `drainerId` for `leaseMs` and counts the attempt.
   * `FOR UPDATE SKIP LOCKED` makes concurrent drainers take disjoint batches without waiting;
   * the claim commits when the statement returns, so a crashed drainer only delays its
   * messages until the lease expires.
   */
  async claim(drainerId: string, batchSize: number, leaseMs: number): Promise<ClaimedMessage[]> {
    const { rows } = await this.client.db.execute<ClaimedRow>(sql`
      with due as (
        select brand_id, id from outbox_messages
        where delivered_at is null and dead_at is null
          and available_at <= now()
          and (locked_until is null or locked_until < now())
        order by available_at
        limit ${batchSize}
        for update skip locked
      )
      update outbox_messages m
      set locked_until = now() + ${leaseMs}::integer * interval '1 millisecond',
          locked_by = ${drainerId},
          attempts = m.attempts + 1
      from due
      where m.brand_id = due.brand_id and m.id = due.id
      returning m.brand_id, m.id, m.topic, m.key, m.payload, m.headers, m.created_at,
                m.attempts, m.locked_by, m.locked_until`);
    return rows
      .map((row) => ({
        brandId: row.brand_id,
        id: row.id,
        topic: row.topic,
        key: row.key,
        payload: row.payload,
        headers: row.headers ?? {},
        createdAt: new Date(row.created_at),
        attempts: Number(row.attempts),
        lockedBy: row.locked_by,
        lockedUntil: new Date(row.locked_until),
      }))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Marks a claim done; false when the claim was lost (lease expired and re-claimed). */
  async markDelivered(ref: ClaimRef): Promise<boolean> {
    const result = await this.client.db.execute(sql`
      update outbox_messages
      set delivered_at = now(), locked_until = null, last_error = null
      where ${fence(ref)}`);
    return result.rowCount === 1;
  }

  /** Gives a failed claim back, due again after `delayMs` (the caller computes the backoff). */
  async release(ref: ClaimRef, error: string, delayMs: number): Promise<boolean> {
    const result = await this.client.db.execute(sql`
      update outbox_messages
      set available_at = now() + ${Math.max(0, Math.round(delayMs))}::integer * interval '1 millisecond',
          locked_until = null, locked_by = null, last_error = ${truncateError(error)}
      where ${fence(ref)}`);
    return result.rowCount === 1;
  }

  /** Dead-letters a claim: it is never delivered again unless an operator revives it. */
  async markDead(ref: ClaimRef, error: string): Promise<boolean> {
    const result = await this.client.db.execute(sql`
      update outbox_messages
      set dead_at = now(), locked_until = null, last_error = ${truncateError(error)}
      where ${fence(ref)}`);
    return result.rowCount === 1;
  }

  /** Returns an unstarted claim (drainer shutting down) without counting the attempt. */
  async unclaim(ref: ClaimRef): Promise<boolean> {
    const result = await this.client.db.execute(sql`
      update outbox_messages
      set attempts = attempts - 1, locked_until = null, locked_by = null
      where ${fence(ref)}`);
    return result.rowCount === 1;
  }

  /** Makes dead messages deliverable again (operator action) with a fresh attempt budget. */
  async revive(brandId: string, id: string): Promise<boolean> {
    const result = await this.client.db.execute(sql`
      update outbox_messages
      set dead_at = null, attempts = 0, available_at = now(), locked_until = null, locked_by = null
      where brand_id = ${brandId} and id = ${id} and dead_at is not null`);
    return result.rowCount === 1;
  }

  /** Figures for the metrics gauges; the pending part reads the partial pending index. */
  async stats(): Promise<OutboxStats> {
    const { rows } = await this.client.db.execute<{
      pending: number;
      dead: number;
      oldest: number | string | null;
    }>(sql`
      select p.pending, d.dead, p.oldest from
        (select count(*)::int as pending,
                extract(epoch from now() - min(available_at) filter (where available_at <= now()))::float8 as oldest
           from outbox_messages where delivered_at is null and dead_at is null) p,
        (select count(*)::int as dead from outbox_messages where dead_at is not null) d`);
    const row = rows[0];
    return {
      pending: Number(row.pending),
      dead: Number(row.dead),
      oldestPendingAgeSeconds: Math.max(0, Number(row.oldest ?? 0)),
    };
  }

  /**
   * Records that `consumer` applied `messageId`, inside the caller's transaction. Returns false
   * when it was already recorded (a concurrent duplicate waits for the first to commit, then
   * sees the row), so the caller skips its effect.
   */
  /**
   * Deletes up to `limit` messages delivered before `before` (dead-lettered ones are kept for
   * inspection and revival). Returns how many went; callers loop until fewer than `limit`.
   */
  async pruneDelivered(before: Date, limit: number): Promise<number> {
    const result = await this.client.db.execute(sql`
      delete from outbox_messages
       where (brand_id, id) in (select brand_id, id from outbox_messages
                                 where delivered_at < ${before} limit ${limit})`);
    return result.rowCount ?? 0;
  }

  /** Deletes up to `limit` inbox rows recorded before `before` (their messages are gone or done). */
  async pruneProcessed(before: Date, limit: number): Promise<number> {
    const result = await this.client.db.execute(sql`
      delete from processed_messages
       where (consumer, message_id) in (select consumer, message_id from processed_messages
                                         where processed_at < ${before} limit ${limit})`);
    return result.rowCount ?? 0;
  }

  async recordProcessed(tx: Executor, consumer: string, messageId: string): Promise<boolean> {
    const rows = await tx
      .insert(processedMessages)
      .values({ consumer, messageId })
      .onConflictDoNothing()
      .returning({ messageId: processedMessages.messageId });
    return rows.length === 1;
  }

  async isProcessed(consumer: string, messageId: string, executor?: Executor): Promise<boolean> {
    const { rows } = await (executor ?? this.client.db).execute(sql`
      select 1 from processed_messages where consumer = ${consumer} and message_id = ${messageId}`);
    return rows.length > 0;
  }
}
