import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  memberBalances,
  memberTiers,
  rewardRedemptions,
  rewards,
  tiers,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';

export type Reward = typeof rewards.$inferSelect;
export type NewReward = Omit<
  typeof rewards.$inferInsert,
  'brandId' | 'id' | 'createdAt' | 'updatedAt'
>;
export type RewardChanges = Partial<NewReward>;
export type RewardRedemption = typeof rewardRedemptions.$inferSelect;

@Injectable()
export class RewardsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  async insert(brandId: string, values: NewReward, tx?: Executor): Promise<Reward> {
    const [row] = await (tx ?? this.client.db)
      .insert(rewards)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  async findById(brandId: string, id: string, tx?: Executor): Promise<Reward | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(rewards)
      .where(and(eq(rewards.brandId, brandId), eq(rewards.id, id)))
      .limit(1);
    return row ?? null;
  }

  async update(
    brandId: string,
    id: string,
    changes: RewardChanges,
    tx?: Executor,
  ): Promise<Reward | null> {
    const [row] = await (tx ?? this.client.db)
      .update(rewards)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(rewards.brandId, brandId), eq(rewards.id, id)))
      .returning();
    return row ?? null;
  }

  /** Staff listing (every reward) or the member catalogue (`availableAt`: active, in window, in stock, rank). */
  async list(
    brandId: string,
    page: { limit: number; after?: CreatedAtPosition; availableAt?: Date; maxTierRank?: number },
    tx?: Executor,
  ): Promise<(Reward & { cursorAt: string })[]> {
    const at = page.availableAt;
    return (tx ?? this.client.db)
      .select({ ...getTableColumns(rewards), cursorAt: cursorAt(rewards.createdAt) })
      .from(rewards)
      .where(
        and(
          eq(rewards.brandId, brandId),
          at
            ? and(
                eq(rewards.active, true),
                or(isNull(rewards.validFrom), lte(rewards.validFrom, at)),
                or(isNull(rewards.validTo), sql`${rewards.validTo} > ${at}`),
                or(isNull(rewards.stock), sql`${rewards.stock} > 0`),
              )
            : undefined,
          page.maxTierRank !== undefined ? lte(rewards.minTierRank, page.maxTierRank) : undefined,
          page.after ? olderThan(rewards.createdAt, rewards.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(rewards.createdAt), desc(rewards.id))
      .limit(page.limit + 1);
  }

  /**
   * Takes one unit of stock atomically (unlimited stock: just locks the row). Concurrent
   * redeemers queue on the row and each re-checks `stock > 0`: stock can never go below zero.
   * Null when out of stock or no longer active.
   */
  async takeStock(brandId: string, id: string, tx: Executor): Promise<Reward | null> {
    const [row] = await tx
      .update(rewards)
      .set({
        stock: sql`case when ${rewards.stock} is null then null else ${rewards.stock} - 1 end`,
      })
      .where(
        and(
          eq(rewards.brandId, brandId),
          eq(rewards.id, id),
          eq(rewards.active, true),
          or(isNull(rewards.stock), sql`${rewards.stock} > 0`),
        ),
      )
      .returning();
    return row ?? null;
  }

  /**
   * Locks the member's balance row (the ledger's per-member lock) so that per-member counts are
   * stable until commit. A member without a row has never earned, so has nothing to spend.
   */
  async lockMember(brandId: string, memberId: string, tx: Executor): Promise<void> {
    await tx
      .select({ memberId: memberBalances.memberId })
      .from(memberBalances)
      .where(and(eq(memberBalances.brandId, brandId), eq(memberBalances.memberId, memberId)))
      .for('update');
  }

  /** The member's tier rank (no tier row = rank 0). */
  async tierRank(brandId: string, memberId: string, tx?: Executor): Promise<number> {
    const [row] = await (tx ?? this.client.db)
      .select({ rank: tiers.rank })
      .from(memberTiers)
      .innerJoin(
        tiers,
        and(eq(tiers.brandId, memberTiers.brandId), eq(tiers.id, memberTiers.tierId)),
      )
      .where(and(eq(memberTiers.brandId, brandId), eq(memberTiers.memberId, memberId)))
      .limit(1);
    return row?.rank ?? 0;
  }

  /** Inserts a redemption; null when this member already used this Idempotency-Key. */
  async insertRedemption(
    brandId: string,
    values: { rewardId: string; memberId: string; points: number; idempotencyKey: string },
    tx: Executor,
  ): Promise<RewardRedemption | null> {
    const [row] = await tx
      .insert(rewardRedemptions)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async completeRedemption(
    brandId: string,
    id: string,
    values: { ledgerEntryId: string; couponId: string | null },
    tx: Executor,
  ): Promise<RewardRedemption> {
    const [row] = await tx
      .update(rewardRedemptions)
      .set(values)
      .where(and(eq(rewardRedemptions.brandId, brandId), eq(rewardRedemptions.id, id)))
      .returning();
    return row;
  }

  async findRedemptionByKey(
    brandId: string,
    memberId: string,
    idempotencyKey: string,
    tx?: Executor,
  ): Promise<RewardRedemption | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(rewardRedemptions)
      .where(
        and(
          eq(rewardRedemptions.brandId, brandId),
          eq(rewardRedemptions.memberId, memberId),
          eq(rewardRedemptions.idempotencyKey, idempotencyKey),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  /** Completed redemptions of a reward by a member, other than `exceptId`. */
  async countRedemptions(
    brandId: string,
    memberId: string,
    rewardId: string,
    exceptId: string,
    tx: Executor,
  ): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(rewardRedemptions)
      .where(
        and(
          eq(rewardRedemptions.brandId, brandId),
          eq(rewardRedemptions.memberId, memberId),
          eq(rewardRedemptions.rewardId, rewardId),
          eq(rewardRedemptions.status, 'completed'),
          sql`${rewardRedemptions.id} <> ${exceptId}`,
        ),
      );
    return row?.n ?? 0;
  }

  /** How often the member redeemed each of `rewardIds`. */
  async countsByReward(
    brandId: string,
    memberId: string,
    rewardIds: string[],
    tx?: Executor,
  ): Promise<Map<string, number>> {
    if (!rewardIds.length) return new Map();
    const rows = await (tx ?? this.client.db)
      .select({ rewardId: rewardRedemptions.rewardId, n: sql<number>`count(*)::int` })
      .from(rewardRedemptions)
      .where(
        and(
          eq(rewardRedemptions.brandId, brandId),
          eq(rewardRedemptions.memberId, memberId),
          inArray(rewardRedemptions.rewardId, rewardIds),
          eq(rewardRedemptions.status, 'completed'),
        ),
      )
      .groupBy(rewardRedemptions.rewardId);
    return new Map(rows.map((r) => [r.rewardId, r.n]));
  }

  async listRedemptions(
    brandId: string,
    rewardId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(RewardRedemption & { cursorAt: string })[]> {
    return (tx ?? this.client.db)
      .select({
        ...getTableColumns(rewardRedemptions),
        cursorAt: cursorAt(rewardRedemptions.createdAt),
      })
      .from(rewardRedemptions)
      .where(
        and(
          eq(rewardRedemptions.brandId, brandId),
          eq(rewardRedemptions.rewardId, rewardId),
          page.after
            ? olderThan(rewardRedemptions.createdAt, rewardRedemptions.id, page.after)
            : undefined,
        ),
      )
      .orderBy(desc(rewardRedemptions.createdAt), desc(rewardRedemptions.id))
      .limit(page.limit + 1);
  }
}
