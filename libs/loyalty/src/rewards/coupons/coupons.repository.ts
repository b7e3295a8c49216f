import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, coupons } from '@app/db';
import { type CreatedAtPosition, olderThan } from '@app/identity';

export type Coupon = typeof coupons.$inferSelect;
export type NewCoupon = Pick<
  typeof coupons.$inferInsert,
  'templateId' | 'code' | 'memberId' | 'source' | 'sourceId' | 'issuedAt' | 'expiresAt'
>;

/** What a member sees: `issued` codes past their expiry are shown as `expired`. */
export type CouponListStatus = 'issued' | 'redeemed' | 'expired';

@Injectable()
export class CouponsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /** Inserts a code; null when the code or the (source, source id) is already taken. */
  async insert(brandId: string, values: NewCoupon, tx: Executor): Promise<Coupon | null> {
    const [row] = await tx
      .insert(coupons)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async findBySource(
    brandId: string,
    source: string,
    sourceId: string,
    tx?: Executor,
  ): Promise<Coupon | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(coupons)
      .where(
        and(
          eq(coupons.brandId, brandId),
          eq(coupons.source, source),
          eq(coupons.sourceId, sourceId),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  async findByCode(brandId: string, code: string, tx?: Executor): Promise<Coupon | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(coupons)
      .where(and(eq(coupons.brandId, brandId), eq(coupons.code, code)))
      .limit(1);
    return row ?? null;
  }

  async findById(brandId: string, id: string, tx?: Executor): Promise<Coupon | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(coupons)
      .where(and(eq(coupons.brandId, brandId), eq(coupons.id, id)))
      .limit(1);
    return row ?? null;
  }

  /** Codes of a template a member holds (void ones do not count against a cap). */
  async countForMember(
    brandId: string,
    templateId: string,
    memberId: string,
    tx: Executor,
  ): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(coupons)
      .where(
        and(
          eq(coupons.brandId, brandId),
          eq(coupons.templateId, templateId),
          eq(coupons.memberId, memberId),
          ne(coupons.status, 'void'),
        ),
      );
    return row?.n ?? 0;
  }

  /**
   * Serialises issuers of one key inside the transaction (released at commit/rollback). Used for
   * per-member caps (template, member) and for idempotent issuing (source, source id).
   */
  async lock(brandId: string, key: string, tx: Executor): Promise<void> {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`${brandId}:${key}`}, 0))`,
    );
  }

  /**
   * Single use under concurrency: only one transaction can move a code from `issued` to
   * `redeemed`; the others wait for it on the row, re-check `status` and get null.
   */
  async markRedeemed(
    brandId: string,
    id: string,
    values: { orderId: string; discountMinor: number; at: Date },
    tx: Executor,
  ): Promise<Coupon | null> {
    const [row] = await tx
      .update(coupons)
      .set({
        status: 'redeemed',
        redeemedAt: values.at,
        redeemedOrderId: values.orderId,
        discountMinor: values.discountMinor,
      })
      .where(and(eq(coupons.brandId, brandId), eq(coupons.id, id), eq(coupons.status, 'issued')))
      .returning();
    return row ?? null;
  }

  /** `issued` → `void` (a redeemed or expired code is left as it is); null when not issued. */
  async markVoid(brandId: string, id: string, tx: Executor): Promise<Coupon | null> {
    const [row] = await tx
      .update(coupons)
      .set({ status: 'void' })
      .where(and(eq(coupons.brandId, brandId), eq(coupons.id, id), eq(coupons.status, 'issued')))
      .returning();
    return row ?? null;
  }

  /**
   * System sweep across brands: marks up to `limit` issued codes past their expiry as `expired`
   * (oldest first). SKIP LOCKED lets several workers sweep side by side, and the status guard
   * makes a re-run a no-op, so the sweep is idempotent and resumable.
   */
  async expireDue(now: Date, limit: number, tx?: Executor): Promise<number> {
    const result = await (tx ?? this.client.db).execute(sql`
      update coupons c set status = 'expired'
        from (
          select brand_id, id from coupons
           where status = 'issued' and expires_at <= ${now}
           order by expires_at
           limit ${limit}
           for update skip locked
        ) due
       where c.brand_id = due.brand_id and c.id = due.id and c.status = 'issued'`);
    return result.rowCount ?? 0;
  }

  async listForMember(
    brandId: string,
    memberId: string,
    filter: { status?: CouponListStatus; limit: number; after?: CreatedAtPosition; now: Date },
    tx?: Executor,
  ): Promise<(Coupon & { cursorAt: string })[]> {
    const now = filter.now;
    const live = or(isNull(coupons.expiresAt), sql`${coupons.expiresAt} > ${now}`);
    const statusCondition =
      filter.status === 'issued'
        ? and(eq(coupons.status, 'issued'), live)
        : filter.status === 'expired'
          ? or(
              eq(coupons.status, 'expired'),
              and(eq(coupons.status, 'issued'), sql`${coupons.expiresAt} <= ${now}`),
            )
          : filter.status === 'redeemed'
            ? eq(coupons.status, 'redeemed')
            : inArray(coupons.status, ['issued', 'redeemed', 'expired']);
    return (tx ?? this.client.db)
      .select({
        ...getTableColumns(coupons),
        cursorAt: sql<string>`to_char(${coupons.issuedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      })
      .from(coupons)
      .where(
        and(
          eq(coupons.brandId, brandId),
          eq(coupons.memberId, memberId),
          statusCondition,
          filter.after ? olderThan(coupons.issuedAt, coupons.id, filter.after) : undefined,
        ),
      )
      .orderBy(desc(coupons.issuedAt), desc(coupons.id))
      .limit(filter.limit + 1);
  }
}
