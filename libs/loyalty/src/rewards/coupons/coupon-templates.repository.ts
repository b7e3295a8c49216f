import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, couponTemplates } from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';

export type CouponTemplate = typeof couponTemplates.$inferSelect;
export type NewCouponTemplate = Omit<
  typeof couponTemplates.$inferInsert,
  'brandId' | 'id' | 'createdAt' | 'updatedAt' | 'spentMinor' | 'issuedCount'
>;
export type CouponTemplateChanges = Partial<NewCouponTemplate>;

@Injectable()
export class CouponTemplatesRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  async insert(brandId: string, values: NewCouponTemplate, tx?: Executor): Promise<CouponTemplate> {
    const [row] = await (tx ?? this.client.db)
      .insert(couponTemplates)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  async findById(brandId: string, id: string, tx?: Executor): Promise<CouponTemplate | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(couponTemplates)
      .where(and(eq(couponTemplates.brandId, brandId), eq(couponTemplates.id, id)))
      .limit(1);
    return row ?? null;
  }

  async list(
    brandId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(CouponTemplate & { cursorAt: string })[]> {
    return (tx ?? this.client.db)
      .select({
        ...getTableColumns(couponTemplates),
        cursorAt: cursorAt(couponTemplates.createdAt),
      })
      .from(couponTemplates)
      .where(
        and(
          eq(couponTemplates.brandId, brandId),
          page.after
            ? olderThan(couponTemplates.createdAt, couponTemplates.id, page.after)
            : undefined,
        ),
      )
      .orderBy(desc(couponTemplates.createdAt), desc(couponTemplates.id))
      .limit(page.limit + 1);
  }

  async update(
    brandId: string,
    id: string,
    changes: CouponTemplateChanges,
    tx?: Executor,
  ): Promise<CouponTemplate | null> {
    const [row] = await (tx ?? this.client.db)
      .update(couponTemplates)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(couponTemplates.brandId, brandId), eq(couponTemplates.id, id)))
      .returning();
    return row ?? null;
  }

  /**
   * Counts one more issued code unless the template is at `max_issued`, atomically: concurrent
   * issuers queue on the row and each re-checks the cap. Null when the cap is reached (or the
   * template is gone).
   */
  async incrementIssued(brandId: string, id: string, tx: Executor): Promise<CouponTemplate | null> {
    const [row] = await tx
      .update(couponTemplates)
      .set({ issuedCount: sql`${couponTemplates.issuedCount} + 1` })
      .where(
        and(
          eq(couponTemplates.brandId, brandId),
          eq(couponTemplates.id, id),
          sql`(${couponTemplates.maxIssued} is null or ${couponTemplates.issuedCount} < ${couponTemplates.maxIssued})`,
        ),
      )
      .returning();
    return row ?? null;
  }

  /** Spends `amount` of the template's budget unless that would pass it; null when it would. */
  async spendBudget(
    brandId: string,
    id: string,
    amountMinor: number,
    tx: Executor,
  ): Promise<CouponTemplate | null> {
    const [row] = await tx
      .update(couponTemplates)
      .set({ spentMinor: sql`${couponTemplates.spentMinor} + ${amountMinor}` })
      .where(
        and(
          eq(couponTemplates.brandId, brandId),
          eq(couponTemplates.id, id),
          sql`(${couponTemplates.budgetMinor} is null or ${couponTemplates.spentMinor} + ${amountMinor} <= ${couponTemplates.budgetMinor})`,
        ),
      )
      .returning();
    return row ?? null;
  }
}
