import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  earningRules,
  orderLines,
  orders,
  refunds,
  statement,
} from '@app/db';

export type Order = typeof orders.$inferSelect;
export type OrderLine = typeof orderLines.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type EarningRule = typeof earningRules.$inferSelect;
export type RuleKind = EarningRule['kind'];
export type NewEarningRule = Omit<
  typeof earningRules.$inferInsert,
  'brandId' | 'id' | 'createdAt' | 'updatedAt'
>;

export interface MemberForOrder {
  id: string;
  referredBy: string | null;
  tierMultiplierBp: number;
}

export interface NewOrder {
  externalId: string;
  memberId: string;
  currency: string;
  paidTotalMinor: number;
  channel: 'online' | 'offline';
  storeId: string | null;
  placedAt: Date;
  pointsAwarded: number;
  lines: {
    lineNo: number;
    productId: string;
    category: string | null;
    quantity: number;
    unitPriceMinor: number;
    paidMinor: number;
    pointsAwarded: number;
  }[];
}

export interface LineRefundUpdate {
  lineNo: number;
  quantity: number;
  amountMinor: number;
}

const num = (value: unknown): number => Number(value);
/** One array parameter (drizzle would otherwise expand a JS array into a row of parameters). */
const arr = (values: unknown[]) => sql.param(values);

/** Prepared statements of the ingestion hot path (see OrdersService batches). */
const SQL = {
  findMembers: statement(
    'orders_find_members',
    `select m.id, m.external_id, m.referred_by,
            coalesce(t.multiplier_bp, entry.multiplier_bp) as multiplier_bp
       from members m
       left join member_tiers mt on mt.brand_id = m.brand_id and mt.member_id = m.id
       left join tiers t on t.brand_id = mt.brand_id and t.id = mt.tier_id
       -- A member not yet evaluated by the tiers consumer is on the entry tier (rank 0).
       left join tiers entry on entry.brand_id = m.brand_id and entry.rank = 0
      where m.brand_id = $1 and (m.id = any($2::uuid[]) or m.external_id = any($3::text[]))`,
  ),
  insertOrders: statement(
    'orders_insert_batch',
    `with o as (
       insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel,
                           store_id, placed_at, points_awarded)
       select $1, v.external_id, v.member_id, v.currency, v.paid, v.channel::order_channel,
              v.store_id, v.placed_at, v.points
         from unnest($2::text[], $3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::text[],
                     $8::timestamptz[], $9::int[])
              as v(external_id, member_id, currency, paid, channel, store_id, placed_at, points)
        -- One insertion order for every batch: two batches sharing order ids cannot deadlock.
        order by v.external_id
       on conflict (brand_id, external_id) do nothing
       returning id, external_id
     ), l as (
       insert into order_lines (brand_id, order_id, line_no, product_id, category, quantity,
                                unit_price_minor, paid_minor, points_awarded)
       select $1, o.id, v.line_no, v.product_id, v.category, v.quantity, v.unit_price, v.paid,
              v.points
         from unnest($10::text[], $11::int[], $12::text[], $13::text[], $14::int[],
                     $15::bigint[], $16::bigint[], $17::int[])
              as v(external_id, line_no, product_id, category, quantity, unit_price, paid, points)
         join o on o.external_id = v.external_id
     )
     select id, external_id from o`,
  ),
};

/** The only place the SQL of orders, refunds and earning rules lives. Every method takes the brand. */
@Injectable()
export class OrdersRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  /**
   * The member by id or storefront id, with its referrer and tier multiplier: their tier's, else
   * the entry tier's, else ×1 when the brand has no tiers.
   */
  async findMember(
    brandId: string,
    ref: { id?: string; externalId?: string },
    tx?: Executor,
  ): Promise<MemberForOrder | null> {
    const [member] = await this.findMembers(
      brandId,
      {
        ids: ref.id ? [ref.id] : [],
        externalIds: !ref.id && ref.externalId ? [ref.externalId] : [],
      },
      tx,
    );
    return member ?? null;
  }

  /** Members by id or storefront id, in one statement (batches of orders). */
  async findMembers(
    brandId: string,
    refs: { ids: string[]; externalIds: string[] },
    tx?: Executor,
  ): Promise<(MemberForOrder & { externalId: string | null })[]> {
    const rows = await this.client.run<{
      id: string;
      external_id: string | null;
      referred_by: string | null;
      multiplier_bp: number | null;
    }>(SQL.findMembers, [brandId, refs.ids, refs.externalIds], tx);
    return rows.map((row) => ({
      id: row.id,
      externalId: row.external_id,
      referredBy: row.referred_by,
      tierMultiplierBp: row.multiplier_bp ?? 10_000,
    }));
  }

  /**
   * Inserts a batch of orders and their lines in one statement. Returns the ids of the orders
   * inserted, by external id; an external id already stored is absent (a concurrent insert of the
   * same order waits for the other transaction, then yields; the caller reads the original).
   * External ids must be unique within the batch.
   */
  async insertOrders(
    brandId: string,
    batch: NewOrder[],
    tx: Executor,
  ): Promise<Map<string, string>> {
    if (!batch.length) return new Map();
    const lines = batch.flatMap((o) => o.lines.map((l) => ({ ...l, externalId: o.externalId })));
    const rows = await this.client.run<{ id: string; external_id: string }>(
      SQL.insertOrders,
      [
        brandId,
        batch.map((o) => o.externalId),
        batch.map((o) => o.memberId),
        batch.map((o) => o.currency),
        batch.map((o) => o.paidTotalMinor),
        batch.map((o) => o.channel),
        batch.map((o) => o.storeId),
        batch.map((o) => o.placedAt),
        batch.map((o) => o.pointsAwarded),
        lines.map((l) => l.externalId),
        lines.map((l) => l.lineNo),
        lines.map((l) => l.productId),
        lines.map((l) => l.category),
        lines.map((l) => l.quantity),
        lines.map((l) => l.unitPriceMinor),
        lines.map((l) => l.paidMinor),
        lines.map((l) => l.pointsAwarded),
      ],
      tx,
    );
    return new Map(rows.map((r) => [r.external_id, r.id]));
  }

  async findOrderByExternalId(
    brandId: string,
    externalId: string,
    tx?: Executor,
    options: { forUpdate?: boolean } = {},
  ): Promise<Order | null> {
    const query = this.ex(tx)
      .select()
      .from(orders)
      .where(and(eq(orders.brandId, brandId), eq(orders.externalId, externalId)))
      .limit(1);
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  async findLines(brandId: string, orderId: string, tx?: Executor): Promise<OrderLine[]> {
    return this.ex(tx)
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.brandId, brandId), eq(orderLines.orderId, orderId)))
      .orderBy(orderLines.lineNo);
  }

  /** Whether the member has an order other than `orderIds` (i.e. these include their first). */
  async hasOtherOrder(
    brandId: string,
    memberId: string,
    orderIds: string[],
    tx?: Executor,
  ): Promise<boolean> {
    const result = await this.ex(tx).execute<{ found: boolean }>(sql`
      select exists (select 1 from orders
                      where brand_id = ${brandId} and member_id = ${memberId}
                        and id <> all(${arr(orderIds)}::uuid[])
                    ) as found`);
    return Boolean(result.rows[0]?.found);
  }

  /** Id of the ledger entry written under `dedupeKey` (e.g. the order's purchase earn). */
  async findEntryIdByDedupeKey(
    brandId: string,
    dedupeKey: string,
    tx?: Executor,
  ): Promise<string | null> {
    const result = await this.ex(tx).execute<{ id: string }>(sql`
      select id from ledger_entries where brand_id = ${brandId} and dedupe_key = ${dedupeKey}`);
    return result.rows[0]?.id ?? null;
  }

  /** The rule that fired for a ledger entry (explainability of an order's award). */
  async ruleIdOfEntry(brandId: string, entryId: string, tx?: Executor): Promise<string | null> {
    const result = await this.ex(tx).execute<{ rule_id: string | null }>(sql`
      select rule_id from ledger_entries where brand_id = ${brandId} and id = ${entryId}`);
    return result.rows[0]?.rule_id ?? null;
  }

  async setRefundPoints(brandId: string, id: string, points: number, tx: Executor): Promise<void> {
    await tx
      .update(refunds)
      .set({ pointsReversed: points })
      .where(and(eq(refunds.brandId, brandId), eq(refunds.id, id)));
  }

  // --- refunds -----------------------------------------------------------------------------------

  async findRefund(brandId: string, externalId: string, tx?: Executor): Promise<Refund | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(refunds)
      .where(and(eq(refunds.brandId, brandId), eq(refunds.externalId, externalId)))
      .limit(1);
    return row ?? null;
  }

  /** null when the refund id already exists (the caller reads the original back). */
  async insertRefund(
    brandId: string,
    values: {
      externalId: string;
      orderId: string;
      amountMinor: number;
      lines: LineRefundUpdate[];
      pointsReversed: number;
    },
    tx: Executor,
  ): Promise<Refund | null> {
    const [row] = await tx
      .insert(refunds)
      .values({ brandId, ...values })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async applyRefund(
    brandId: string,
    orderId: string,
    lines: LineRefundUpdate[],
    amountMinor: number,
    tx: Executor,
  ): Promise<Order> {
    if (lines.length) {
      const values = sql.join(
        lines.map((x) => sql`(${x.lineNo}::int, ${x.quantity}::int, ${x.amountMinor}::bigint)`),
        sql`, `,
      );
      await tx.execute(sql`
        update order_lines ol
           set refunded_quantity = ol.refunded_quantity + v.qty,
               refunded_minor = ol.refunded_minor + v.amount
          from (values ${values}) as v(line_no, qty, amount)
         where ol.brand_id = ${brandId} and ol.order_id = ${orderId} and ol.line_no = v.line_no`);
    }
    await tx.execute(sql`
      update orders o
         set refunded_total_minor = o.refunded_total_minor + ${amountMinor},
             status = (case
               when not exists (select 1 from order_lines ol
                                 where ol.brand_id = o.brand_id and ol.order_id = o.id
                                   and ol.refunded_quantity < ol.quantity)
               then 'refunded' else 'partially_refunded' end)::order_status
       where o.brand_id = ${brandId} and o.id = ${orderId}`);
    const [order] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.brandId, brandId), eq(orders.id, orderId)));
    return order;
  }

  // --- earning rules -----------------------------------------------------------------------------

  /** Rules of `kind` that are active, newest first (validity windows are checked by the caller). */
  async activeRules(brandId: string, kind: RuleKind, tx?: Executor): Promise<EarningRule[]> {
    return this.ex(tx)
      .select()
      .from(earningRules)
      .where(
        and(
          eq(earningRules.brandId, brandId),
          eq(earningRules.kind, kind),
          eq(earningRules.active, true),
        ),
      )
      .orderBy(desc(earningRules.createdAt), desc(earningRules.id));
  }

  async findRule(brandId: string, id: string, tx?: Executor): Promise<EarningRule | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(earningRules)
      .where(and(eq(earningRules.brandId, brandId), eq(earningRules.id, id)))
      .limit(1);
    return row ?? null;
  }

  async listRules(
    brandId: string,
    limit: number,
    after: { createdAt: Date; id: string } | null,
    tx?: Executor,
  ): Promise<EarningRule[]> {
    const conditions = [eq(earningRules.brandId, brandId)];
    if (after) {
      conditions.push(
        or(
          lt(earningRules.createdAt, after.createdAt),
          and(eq(earningRules.createdAt, after.createdAt), lt(earningRules.id, after.id)),
        )!,
      );
    }
    return this.ex(tx)
      .select()
      .from(earningRules)
      .where(and(...conditions))
      .orderBy(desc(earningRules.createdAt), desc(earningRules.id))
      .limit(limit);
  }

  async insertRule(brandId: string, values: NewEarningRule, tx?: Executor): Promise<EarningRule> {
    const [row] = await this.ex(tx)
      .insert(earningRules)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  async updateRule(
    brandId: string,
    id: string,
    values: Partial<NewEarningRule>,
    tx?: Executor,
  ): Promise<EarningRule | null> {
    const [row] = await this.ex(tx)
      .update(earningRules)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(earningRules.brandId, brandId), eq(earningRules.id, id)))
      .returning();
    return row ?? null;
  }

  async deleteRule(brandId: string, id: string, tx?: Executor): Promise<boolean> {
    const rows = await this.ex(tx)
      .delete(earningRules)
      .where(and(eq(earningRules.brandId, brandId), eq(earningRules.id, id)))
      .returning({ id: earningRules.id });
    return rows.length > 0;
  }

  /** Earn entries of a rule for a member, counted per window (`null` since = lifetime). */
  async countRuleAwards(
    brandId: string,
    memberId: string,
    ruleId: string,
    windows: (Date | null)[],
    tx: Executor,
  ): Promise<number[]> {
    if (!windows.length) return [];
    const columns = sql.join(
      windows.map((since, i) =>
        since
          ? sql`count(*) filter (where created_at >= ${since})::int as ${sql.identifier(`c${i}`)}`
          : sql`count(*)::int as ${sql.identifier(`c${i}`)}`,
      ),
      sql`, `,
    );
    const result = await tx.execute<Record<string, unknown>>(sql`
      select ${columns} from ledger_entries
       where brand_id = ${brandId} and member_id = ${memberId} and rule_id = ${ruleId}
         and kind = 'earn'`);
    return windows.map((_, i) => num(result.rows[0]?.[`c${i}`] ?? 0));
  }

  /** Members whose birthday is on `month`/`day` in brands with an active birthday rule (keyset). */
  async birthdayMembers(
    month: number,
    day: number,
    includeFeb29: boolean,
    after: { brandId: string; id: string } | null,
    limit: number,
  ): Promise<{ brandId: string; id: string }[]> {
    const cursor = after
      ? sql`and (m.brand_id, m.id) > (${after.brandId}::uuid, ${after.id}::uuid)`
      : sql``;
    const days = includeFeb29 ? sql`(${day}, 29)` : sql`(${day})`;
    const result = await this.client.db.execute<{ brand_id: string; id: string }>(sql`
      select m.brand_id, m.id from members m
       where m.birthday is not null
         and extract(month from m.birthday) = ${month}
         and extract(day from m.birthday) in ${days}
         and exists (select 1 from earning_rules r
                      where r.brand_id = m.brand_id and r.kind = 'birthday' and r.active)
         ${cursor}
       order by m.brand_id, m.id
       limit ${limit}`);
    return result.rows.map((r) => ({ brandId: r.brand_id, id: r.id }));
  }
}
