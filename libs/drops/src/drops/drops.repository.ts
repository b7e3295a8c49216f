import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, getTableColumns, inArray, lte, or, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  dropSkus,
  dropTransitions,
  drops,
  memberTiers,
  tiers,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';
import type { DropStatus } from './drop-state-machine';

export type Drop = typeof drops.$inferSelect;
export type DropSku = typeof dropSkus.$inferSelect;
export type NewDrop = Omit<
  typeof drops.$inferInsert,
  'brandId' | 'id' | 'createdAt' | 'updatedAt' | 'status' | 'version'
>;
export type NewDropSku = Omit<typeof dropSkus.$inferInsert, 'brandId' | 'dropId' | 'sold'>;
export type DropTransition = typeof dropTransitions.$inferSelect;

@Injectable()
export class DropsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  async insert(brandId: string, values: NewDrop, tx?: Executor): Promise<Drop> {
    const [row] = await (tx ?? this.client.db)
      .insert(drops)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  async findById(
    brandId: string,
    id: string,
    tx?: Executor,
    options: { forUpdate?: boolean } = {},
  ): Promise<Drop | null> {
    const query = (tx ?? this.client.db)
      .select()
      .from(drops)
      .where(and(eq(drops.brandId, brandId), eq(drops.id, id)))
      .limit(1);
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  async list(
    brandId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(Drop & { cursorAt: string })[]> {
    return (tx ?? this.client.db)
      .select({ ...getTableColumns(drops), cursorAt: cursorAt(drops.createdAt) })
      .from(drops)
      .where(
        and(
          eq(drops.brandId, brandId),
          page.after ? olderThan(drops.createdAt, drops.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(drops.createdAt), desc(drops.id))
      .limit(page.limit + 1);
  }

  /** Changes a draft; null when the drop is gone or no longer a draft. */
  async updateDraft(
    brandId: string,
    id: string,
    changes: Partial<NewDrop>,
    tx?: Executor,
  ): Promise<Drop | null> {
    const [row] = await (tx ?? this.client.db)
      .update(drops)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(drops.brandId, brandId), eq(drops.id, id), eq(drops.status, 'draft')))
      .returning();
    return row ?? null;
  }

  /**
   * Moves the drop to `to` if nobody moved it since `expectedVersion` was read (the version is
   * what makes a late or duplicate job a no-op). Null when the version moved on.
   */
  async transition(
    brandId: string,
    id: string,
    expectedVersion: number,
    to: DropStatus,
    tx: Executor,
  ): Promise<Drop | null> {
    const [row] = await tx
      .update(drops)
      .set({ status: to, version: sql`${drops.version} + 1`, updatedAt: new Date() })
      .where(and(eq(drops.brandId, brandId), eq(drops.id, id), eq(drops.version, expectedVersion)))
      .returning();
    return row ?? null;
  }

  async insertTransition(
    brandId: string,
    values: Omit<typeof dropTransitions.$inferInsert, 'brandId' | 'id'>,
    tx: Executor,
  ): Promise<void> {
    await tx.insert(dropTransitions).values({ ...values, brandId });
  }

  async transitions(brandId: string, dropId: string, tx?: Executor): Promise<DropTransition[]> {
    return (tx ?? this.client.db)
      .select()
      .from(dropTransitions)
      .where(and(eq(dropTransitions.brandId, brandId), eq(dropTransitions.dropId, dropId)))
      .orderBy(asc(dropTransitions.at));
  }

  async saveReport(
    brandId: string,
    id: string,
    report: Record<string, unknown>,
    tx: Executor,
  ): Promise<void> {
    await tx
      .update(drops)
      .set({ report })
      .where(and(eq(drops.brandId, brandId), eq(drops.id, id)));
  }

  /** Drops (any brand) with a timed move due at `now`: the safety net behind the delayed jobs. */
  async due(now: Date, limit: number, tx?: Executor): Promise<Drop[]> {
    return (tx ?? this.client.db)
      .select()
      .from(drops)
      .where(
        or(
          and(
            inArray(drops.status, ['scheduled', 'early_access', 'live', 'sold_out']),
            lte(drops.endsAt, now),
          ),
          and(inArray(drops.status, ['scheduled', 'early_access']), lte(drops.startsAt, now)),
          and(
            eq(drops.status, 'scheduled'),
            lte(drops.earlyAccessAt, now),
            sql`jsonb_array_length(${drops.earlyAccessTierIds}) > 0`,
          ),
        ),
      )
      .limit(limit);
  }

  /** Drops (any brand) whose Redis stock should exist: on sale or with holds still running. */
  async active(limit: number, tx?: Executor): Promise<Pick<Drop, 'brandId' | 'id'>[]> {
    return (tx ?? this.client.db)
      .select({ brandId: drops.brandId, id: drops.id })
      .from(drops)
      .where(inArray(drops.status, ['scheduled', 'early_access', 'live', 'sold_out']))
      .limit(limit);
  }

  // ---- SKUs ---------------------------------------------------------------------------------

  async insertSkus(
    brandId: string,
    dropId: string,
    skus: NewDropSku[],
    tx: Executor,
  ): Promise<DropSku[]> {
    if (!skus.length) return [];
    return tx
      .insert(dropSkus)
      .values(skus.map((s) => ({ ...s, brandId, dropId })))
      .returning();
  }

  async deleteSkus(brandId: string, dropId: string, tx: Executor): Promise<void> {
    await tx
      .delete(dropSkus)
      .where(and(eq(dropSkus.brandId, brandId), eq(dropSkus.dropId, dropId)));
  }

  async skus(brandId: string, dropId: string, tx?: Executor): Promise<DropSku[]> {
    return (tx ?? this.client.db)
      .select()
      .from(dropSkus)
      .where(and(eq(dropSkus.brandId, brandId), eq(dropSkus.dropId, dropId)))
      .orderBy(asc(dropSkus.id));
  }

  async skusOf(brandId: string, dropIds: string[], tx?: Executor): Promise<DropSku[]> {
    if (!dropIds.length) return [];
    return (tx ?? this.client.db)
      .select()
      .from(dropSkus)
      .where(and(eq(dropSkus.brandId, brandId), inArray(dropSkus.dropId, dropIds)))
      .orderBy(asc(dropSkus.id));
  }

  /** Which of `ids` are tiers of the brand. */
  async existingTierIds(brandId: string, ids: string[], tx?: Executor): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await (tx ?? this.client.db)
      .select({ id: tiers.id })
      .from(tiers)
      .where(and(eq(tiers.brandId, brandId), inArray(tiers.id, ids)));
    return rows.map((r) => r.id);
  }

  /** The member's current tier id (loyalty's member_tiers), null without one. */
  async tierOf(brandId: string, memberId: string, tx?: Executor): Promise<string | null> {
    const [row] = await (tx ?? this.client.db)
      .select({ tierId: memberTiers.tierId })
      .from(memberTiers)
      .where(and(eq(memberTiers.brandId, brandId), eq(memberTiers.memberId, memberId)))
      .limit(1);
    return row?.tierId ?? null;
  }
}
