import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  ledgerEntries,
  memberTiers,
  orders,
  pointLots,
  tierHistory,
  tiers,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';
import type { QualifyingStats } from './tier-maths';

export type Tier = typeof tiers.$inferSelect;
export type TierValues = Pick<
  Tier,
  | 'code'
  | 'name'
  | 'rank'
  | 'minSpendMinor'
  | 'minOrders'
  | 'minEngagementPoints'
  | 'multiplierBp'
  | 'perks'
>;
export type MemberTier = typeof memberTiers.$inferSelect;
export type TierHistoryRow = typeof tierHistory.$inferSelect;
export type MemberTierChanges = Partial<
  Pick<MemberTier, 'tierId' | 'since' | 'downgradeWarnedAt' | 'nextReviewAt'>
>;

/** All SQL of tiers, member tiers and tier history. Every method is scoped by brand. */
@Injectable()
export class TiersRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  listTiers(brandId: string, tx?: Executor): Promise<Tier[]> {
    return this.ex(tx)
      .select()
      .from(tiers)
      .where(eq(tiers.brandId, brandId))
      .orderBy(asc(tiers.rank));
  }

  async findTier(brandId: string, id: string, tx?: Executor): Promise<Tier | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(tiers)
      .where(and(eq(tiers.brandId, brandId), eq(tiers.id, id)));
    return row ?? null;
  }

  /** Null when the rank or the code is already used in the brand. */
  async insertTier(brandId: string, values: TierValues, tx?: Executor): Promise<Tier | null> {
    const [row] = await this.ex(tx)
      .insert(tiers)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async updateTier(
    brandId: string,
    id: string,
    changes: Partial<TierValues>,
    tx?: Executor,
  ): Promise<Tier | null> {
    const [row] = await this.ex(tx)
      .update(tiers)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(tiers.brandId, brandId), eq(tiers.id, id)))
      .returning();
    return row ?? null;
  }

  async deleteTier(brandId: string, id: string, tx?: Executor): Promise<boolean> {
    const rows = await this.ex(tx)
      .delete(tiers)
      .where(and(eq(tiers.brandId, brandId), eq(tiers.id, id)))
      .returning({ id: tiers.id });
    return rows.length > 0;
  }

  /** Which field of `values` clashes with another tier of the brand (excluding `exceptId`). */
  async clash(
    brandId: string,
    values: { rank?: number; code?: string },
    exceptId: string | null,
    tx?: Executor,
  ): Promise<'rank' | 'code' | null> {
    const rows = await this.ex(tx)
      .select({ id: tiers.id, rank: tiers.rank, code: tiers.code })
      .from(tiers)
      .where(eq(tiers.brandId, brandId));
    for (const row of rows) {
      if (row.id === exceptId) continue;
      if (values.rank !== undefined && row.rank === values.rank) return 'rank';
      if (values.code !== undefined && row.code === values.code) return 'code';
    }
    return null;
  }

  /** Serialises tier configuration changes of one brand (transaction-scoped advisory lock). */
  async lockBrandTiers(brandId: string, tx: Executor): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tiers:' || ${brandId}))`);
  }

  async countMembersOnTier(brandId: string, tierId: string, tx?: Executor): Promise<number> {
    const [row] = await this.ex(tx)
      .select({ n: sql<number>`count(*)::int` })
      .from(memberTiers)
      .where(and(eq(memberTiers.brandId, brandId), eq(memberTiers.tierId, tierId)));
    return row?.n ?? 0;
  }

  /** Enrols a member on `tierId` unless they already have a row; true when it was created. */
  async insertMemberTierIfMissing(
    brandId: string,
    memberId: string,
    values: { tierId: string; since: Date; nextReviewAt: Date },
    tx: Executor,
  ): Promise<boolean> {
    const rows = await tx
      .insert(memberTiers)
      .values({ brandId, memberId, ...values })
      .onConflictDoNothing()
      .returning({ memberId: memberTiers.memberId });
    return rows.length > 0;
  }

  async findMemberTier(
    brandId: string,
    memberId: string,
    tx?: Executor,
    options: { forUpdate?: boolean } = {},
  ): Promise<MemberTier | null> {
    const query = this.ex(tx)
      .select()
      .from(memberTiers)
      .where(and(eq(memberTiers.brandId, brandId), eq(memberTiers.memberId, memberId)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  async updateMemberTier(
    brandId: string,
    memberId: string,
    changes: MemberTierChanges,
    tx: Executor,
  ): Promise<void> {
    await tx
      .update(memberTiers)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(memberTiers.brandId, brandId), eq(memberTiers.memberId, memberId)));
  }

  async insertHistory(
    brandId: string,
    values: {
      memberId: string;
      fromTierId: string | null;
      toTierId: string;
      reason: string;
      details?: Record<string, unknown>;
      createdAt?: Date;
    },
    tx: Executor,
  ): Promise<TierHistoryRow> {
    const [row] = await tx
      .insert(tierHistory)
      .values({ brandId, ...values, details: values.details ?? {} })
      .returning();
    return row;
  }

  /** Newest first, `limit + 1` rows with the exact created_at for the next cursor. */
  listHistory(
    brandId: string,
    memberId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<Array<TierHistoryRow & { cursorAt: string }>> {
    const conditions = [eq(tierHistory.brandId, brandId), eq(tierHistory.memberId, memberId)];
    if (page.after) conditions.push(olderThan(tierHistory.createdAt, tierHistory.id, page.after));
    return this.ex(tx)
      .select({
        brandId: tierHistory.brandId,
        id: tierHistory.id,
        memberId: tierHistory.memberId,
        fromTierId: tierHistory.fromTierId,
        toTierId: tierHistory.toTierId,
        reason: tierHistory.reason,
        details: tierHistory.details,
        createdAt: tierHistory.createdAt,
        cursorAt: cursorAt(tierHistory.createdAt),
      })
      .from(tierHistory)
      .where(and(...conditions))
      .orderBy(desc(tierHistory.createdAt), desc(tierHistory.id))
      .limit(page.limit + 1);
  }

  /**
   * What a member did in the window (from, to]: spend and orders from orders placed in it,
   * engagement from behaviour-rule earns (lot earned_at when there is one, else entry time).
   */
  async stats(
    brandId: string,
    memberId: string,
    from: Date,
    to: Date,
    tx?: Executor,
  ): Promise<QualifyingStats> {
    const ex = this.ex(tx);
    const [spend] = await ex
      .select({
        spend: sql<string>`coalesce(sum(${orders.paidTotalMinor} - ${orders.refundedTotalMinor}), 0)`,
        count: sql<number>`count(*) filter (where ${orders.paidTotalMinor} - ${orders.refundedTotalMinor} > 0)::int`,
      })
      .from(orders)
      .where(
        and(
          eq(orders.brandId, brandId),
          eq(orders.memberId, memberId),
          sql`${orders.placedAt} > ${from.toISOString()}::timestamptz`,
          sql`${orders.placedAt} <= ${to.toISOString()}::timestamptz`,
        ),
      );
    const earnedAt = sql`coalesce(${pointLots.earnedAt}, ${ledgerEntries.createdAt})`;
    const [engagement] = await ex
      .select({ points: sql<string>`coalesce(sum(${ledgerEntries.amount}), 0)` })
      .from(ledgerEntries)
      .leftJoin(
        pointLots,
        and(
          eq(pointLots.brandId, ledgerEntries.brandId),
          eq(pointLots.earnEntryId, ledgerEntries.id),
        ),
      )
      .where(
        and(
          eq(ledgerEntries.brandId, brandId),
          eq(ledgerEntries.memberId, memberId),
          eq(ledgerEntries.source, 'rule'),
          eq(ledgerEntries.kind, 'earn'),
          sql`${earnedAt} > ${from.toISOString()}::timestamptz`,
          sql`${earnedAt} <= ${to.toISOString()}::timestamptz`,
        ),
      );
    return {
      spendMinor: Number(spend?.spend ?? 0),
      orders: spend?.count ?? 0,
      engagementPoints: Number(engagement?.points ?? 0),
    };
  }

  /**
   * Claims up to `limit` member tiers due for review at `asOf`, across brands, locked for the
   * caller's transaction; SKIP LOCKED lets several workers review disjoint batches.
   */
  async claimDueReviews(asOf: Date, limit: number, tx: Executor): Promise<MemberTier[]> {
    return tx
      .select()
      .from(memberTiers)
      .where(sql`${memberTiers.nextReviewAt} <= ${asOf.toISOString()}::timestamptz`)
      .orderBy(asc(memberTiers.nextReviewAt))
      .limit(limit)
      .for('update', { skipLocked: true });
  }
}
