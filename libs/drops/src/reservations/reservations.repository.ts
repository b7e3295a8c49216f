import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, inArray, isNull, lte, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  dropReservations,
  dropSkus,
  drops,
  runStatement,
  statement,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';

export type Reservation = typeof dropReservations.$inferSelect;
export type ReservationStatus = Reservation['status'];

export interface NewHold {
  id: string;
  dropId: string;
  skuId: string;
  memberId: string;
  quantity: number;
  idempotencyKey: string;
  expiresAt: Date;
}

/** Why Postgres refused a hold Redis had granted. */
export type HoldRefusal = 'stock' | 'limit' | 'duplicate_key' | 'active_hold' | 'sku';

/** What Postgres holds for one SKU: the record the Redis counters are rebuilt from. */
export interface SkuTotals {
  skuId: string;
  stock: number;
  sold: number;
  perMemberLimit: number;
  held: number;
  /** Reservation rows, and rows that left 'held': together the number of stock changes. */
  rows: number;
  settled: number;
}

export interface MemberUsage {
  memberId: string;
  skuId: string;
  /** Units held + confirmed. */
  used: number;
  activeHoldId: string | null;
}

const INSERT_HOLDS = statement(
  'drop_insert_holds',
  'select o_ord, o_outcome, o_created_at from drop_insert_holds($1, $2, $3, $4, $5, $6, $7, $8)',
);

@Injectable()
export class ReservationsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /**
   * Persists holds Redis granted for one SKU (a batch: concurrent holds share one statement and
   * one commit), re-checking stock, the per-member limit, the one active hold and the
   * idempotency key under the SKU row's lock: whatever state Redis is in (flushed, rebuilt from a
   * snapshot that missed an in-flight hold), Postgres never records more units than the SKU has.
   * One result per hold, in order. The checks run in `drop_insert_holds` (migration 0007), so a
   * batch is one round trip — the SKU's lock is held for one statement, not five (ADR 0023).
   * Without `tx` the call commits on its own.
   */
  async insertHolds(
    brandId: string,
    dropId: string,
    skuId: string,
    holds: NewHold[],
    tx?: Executor,
  ): Promise<({ reservation: Reservation } | { refused: HoldRefusal })[]> {
    const rows = await runStatement<{
      o_ord: number;
      o_outcome: HoldRefusal | 'held';
      o_created_at: Date | null;
    }>(tx ?? this.client.db, INSERT_HOLDS, [
      brandId,
      dropId,
      skuId,
      holds.map((h) => h.id),
      holds.map((h) => h.memberId),
      holds.map((h) => h.quantity),
      holds.map((h) => h.idempotencyKey),
      holds.map((h) => h.expiresAt),
    ]);
    return rows.map((row) => {
      const hold = holds[row.o_ord - 1];
      if (row.o_outcome !== 'held' || !row.o_created_at)
        return { refused: row.o_outcome as HoldRefusal };
      return {
        reservation: {
          ...hold,
          brandId,
          status: 'held' as const,
          orderId: null,
          createdAt: row.o_created_at,
          settledAt: null,
        },
      };
    });
  }

  async findById(brandId: string, id: string, tx?: Executor): Promise<Reservation | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(dropReservations)
      .where(and(eq(dropReservations.brandId, brandId), eq(dropReservations.id, id)))
      .limit(1);
    return row ?? null;
  }

  async findByIdempotencyKey(
    brandId: string,
    dropId: string,
    memberId: string,
    key: string,
    tx?: Executor,
  ): Promise<Reservation | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(dropReservations)
      .where(
        and(
          eq(dropReservations.brandId, brandId),
          eq(dropReservations.dropId, dropId),
          eq(dropReservations.memberId, memberId),
          eq(dropReservations.idempotencyKey, key),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  /**
   * The single gate of stock return: a hold leaves 'held' at most once, so only the caller that
   * gets the row back returns its units to Redis (expiry goes through `expireDue`, the same
   * gate). A cancellation never takes a hold whose confirmation has started (its order may exist).
   */
  async release(
    brandId: string,
    id: string,
    to: 'cancelled',
    options: { memberId?: string },
    tx?: Executor,
  ): Promise<Reservation | null> {
    const [row] = await (tx ?? this.client.db)
      .update(dropReservations)
      .set({ status: to, settledAt: new Date() })
      .where(
        and(
          eq(dropReservations.brandId, brandId),
          eq(dropReservations.id, id),
          eq(dropReservations.status, 'held'),
          isNull(dropReservations.settledAt),
          options.memberId ? eq(dropReservations.memberId, options.memberId) : undefined,
        ),
      )
      .returning();
    return row ?? null;
  }

  /**
   * Starts a confirmation: pushes the expiry of a live hold to at least `until` while its order
   * is being written, so the hold cannot expire (and its units be resold) meanwhile, and stamps
   * `settled_at` on the still-held row, which keeps cancellations away from it from now on.
   * Refused once the drop is cancelled: a confirmation that began before the cancellation
   * committed completes; one that begins after it cannot.
   */
  async leaseForConfirm(
    brandId: string,
    id: string,
    memberId: string,
    now: Date,
    until: Date,
  ): Promise<Reservation | null> {
    const [row] = await this.client.db
      .update(dropReservations)
      .set({
        expiresAt: sql`greatest(${dropReservations.expiresAt}, ${until.toISOString()}::timestamptz)`,
        settledAt: now,
      })
      .where(
        and(
          eq(dropReservations.brandId, brandId),
          eq(dropReservations.id, id),
          eq(dropReservations.memberId, memberId),
          eq(dropReservations.status, 'held'),
          sql`${dropReservations.expiresAt} > ${now.toISOString()}::timestamptz`,
          // A cancelled drop takes no new confirmation, even before its holds are released.
          sql`exists (select 1 from ${drops} where ${drops.brandId} = ${brandId}
                and ${drops.id} = ${dropReservations.dropId} and ${drops.status} <> 'cancelled')`,
        ),
      )
      .returning();
    return row ?? null;
  }

  /** held → confirmed and the SKU's sold count, in the caller's transaction; null if not held. */
  async confirm(
    brandId: string,
    id: string,
    orderId: string,
    tx: Executor,
  ): Promise<{ reservation: Reservation; sku: { sold: number; stock: number } } | null> {
    const [row] = await tx
      .update(dropReservations)
      .set({ status: 'confirmed', orderId, settledAt: new Date() })
      .where(
        and(
          eq(dropReservations.brandId, brandId),
          eq(dropReservations.id, id),
          eq(dropReservations.status, 'held'),
        ),
      )
      .returning();
    if (!row) return null;
    const [sku] = await tx
      .update(dropSkus)
      .set({
        sold: sql`${dropSkus.sold} + ${row.quantity}`,
        soldOutAt: sql`case when ${dropSkus.sold} + ${row.quantity} >= ${dropSkus.stock} then coalesce(${dropSkus.soldOutAt}, now()) else ${dropSkus.soldOutAt} end`,
      })
      .where(
        and(
          eq(dropSkus.brandId, brandId),
          eq(dropSkus.dropId, row.dropId),
          eq(dropSkus.id, row.skuId),
        ),
      )
      .returning({ sold: dropSkus.sold, stock: dropSkus.stock });
    return { reservation: row, sku };
  }

  /**
   * Expires up to `limit` holds (any brand) past their expiry, oldest first, and returns them.
   * Rows another poller is expiring right now are skipped, not waited for; a hold leased by a
   * confirmation has its expiry pushed out, so it is not due.
   */
  async expireDue(now: Date, limit: number, tx: Executor): Promise<Reservation[]> {
    const due = tx
      .select({ id: dropReservations.id })
      .from(dropReservations)
      .where(and(eq(dropReservations.status, 'held'), lte(dropReservations.expiresAt, now)))
      .orderBy(dropReservations.expiresAt)
      .limit(limit)
      .for('update', { skipLocked: true });
    return tx
      .update(dropReservations)
      .set({ status: 'expired', settledAt: new Date() })
      .where(and(inArray(dropReservations.id, due), eq(dropReservations.status, 'held')))
      .returning();
  }

  async heldOfDrop(brandId: string, dropId: string, tx?: Executor): Promise<Reservation[]> {
    return (tx ?? this.client.db)
      .select()
      .from(dropReservations)
      .where(
        and(
          eq(dropReservations.brandId, brandId),
          eq(dropReservations.dropId, dropId),
          eq(dropReservations.status, 'held'),
        ),
      );
  }

  async listForMember(
    brandId: string,
    memberId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(Reservation & { cursorAt: string })[]> {
    return (tx ?? this.client.db)
      .select({
        ...getTableColumns(dropReservations),
        cursorAt: cursorAt(dropReservations.createdAt),
      })
      .from(dropReservations)
      .where(
        and(
          eq(dropReservations.brandId, brandId),
          eq(dropReservations.memberId, memberId),
          page.after
            ? olderThan(dropReservations.createdAt, dropReservations.id, page.after)
            : undefined,
        ),
      )
      .orderBy(desc(dropReservations.createdAt), desc(dropReservations.id))
      .limit(page.limit + 1);
  }

  async all(brandId: string, dropId: string, tx?: Executor): Promise<Reservation[]> {
    return (tx ?? this.client.db)
      .select()
      .from(dropReservations)
      .where(and(eq(dropReservations.brandId, brandId), eq(dropReservations.dropId, dropId)));
  }

  /** Per SKU: stock, sold, active holds and change counts (rebuild of the Redis counters). */
  async skuTotals(brandId: string, dropId: string, tx?: Executor): Promise<SkuTotals[]> {
    const r = dropReservations;
    return (tx ?? this.client.db)
      .select({
        skuId: dropSkus.id,
        stock: dropSkus.stock,
        sold: dropSkus.sold,
        perMemberLimit: dropSkus.perMemberLimit,
        held: sql<number>`coalesce(sum(${r.quantity}) filter (where ${r.status} = 'held'), 0)::int`,
        rows: sql<number>`count(${r.id})::int`,
        settled: sql<number>`(count(${r.id}) filter (where ${r.status} <> 'held'))::int`,
      })
      .from(dropSkus)
      .leftJoin(
        r,
        and(
          eq(r.brandId, dropSkus.brandId),
          eq(r.dropId, dropSkus.dropId),
          eq(r.skuId, dropSkus.id),
        ),
      )
      .where(and(eq(dropSkus.brandId, brandId), eq(dropSkus.dropId, dropId)))
      .groupBy(dropSkus.id, dropSkus.stock, dropSkus.sold, dropSkus.perMemberLimit);
  }

  /** Per member and SKU: units held + confirmed and the active hold (rebuild of Redis). */
  async memberUsage(brandId: string, dropId: string, tx?: Executor): Promise<MemberUsage[]> {
    const r = dropReservations;
    return (tx ?? this.client.db)
      .select({
        memberId: r.memberId,
        skuId: r.skuId,
        used: sql<number>`sum(${r.quantity})::int`,
        activeHoldId: sql<
          string | null
        >`(array_agg(${r.id}::text) filter (where ${r.status} = 'held'))[1]`,
      })
      .from(r)
      .where(
        and(
          eq(r.brandId, brandId),
          eq(r.dropId, dropId),
          sql`${r.status} in ('held', 'confirmed')`,
        ),
      )
      .groupBy(r.memberId, r.skuId);
  }
}
