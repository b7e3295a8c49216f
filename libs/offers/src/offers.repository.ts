import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, campaignAssignments, members, offers } from '@app/db';

export type Offer = typeof offers.$inferSelect;
export type OfferStatus = Offer['status'];
export type Arm = Offer['arm'];

export type ArmFigures = {
  arm: Arm;
  units: number;
  members: number;
  converted: number;
  orders: number;
  revenue: number;
  revenueSquares: number;
};

export type CampaignCost = {
  discountMinor: number;
  redeemedCoupons: number;
  points: number;
  pointValueMicros: number;
};

export type Funnel = {
  issued: number;
  delivered: number;
  opened: number;
  redeemed: number;
  expired: number;
  heldOut: number;
  suppressed: number;
};

@Injectable()
export class OffersRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  /** Serialises the cap checks and issuing of one member across campaigns and workers. */
  async lockMember(brandId: string, memberId: string, tx: Executor): Promise<void> {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`offers:${brandId}:${memberId}`}, 0))`,
    );
  }

  /** The member's arm: the first assignment wins and never changes. */
  async assign(
    brandId: string,
    campaignId: string,
    memberId: string,
    arm: Arm,
    tx: Executor,
  ): Promise<Arm> {
    const [inserted] = await tx
      .insert(campaignAssignments)
      .values({ brandId, campaignId, memberId, arm })
      .onConflictDoNothing()
      .returning({ arm: campaignAssignments.arm });
    if (inserted) return inserted.arm;
    const [row] = await tx
      .select({ arm: campaignAssignments.arm })
      .from(campaignAssignments)
      .where(
        and(
          eq(campaignAssignments.brandId, brandId),
          eq(campaignAssignments.campaignId, campaignId),
          eq(campaignAssignments.memberId, memberId),
        ),
      );
    return row.arm;
  }

  /** The occurrence's row; null when this occurrence already has one (never twice). */
  async insert(
    brandId: string,
    values: Pick<
      Offer,
      'campaignId' | 'memberId' | 'occurrenceKey' | 'arm' | 'status' | 'issuedAt'
    >,
    tx: Executor,
  ): Promise<Offer | null> {
    const [row] = await tx
      .insert(offers)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async existsOccurrence(brandId: string, campaignId: string, key: string): Promise<boolean> {
    const [row] = await this.ex()
      .select({ id: offers.id })
      .from(offers)
      .where(
        and(
          eq(offers.brandId, brandId),
          eq(offers.campaignId, campaignId),
          eq(offers.occurrenceKey, key),
        ),
      );
    return !!row;
  }

  async setOutcome(
    brandId: string,
    id: string,
    values: Partial<Pick<Offer, 'status' | 'reason' | 'couponId' | 'points' | 'costMinor'>>,
    tx: Executor,
  ): Promise<void> {
    await tx
      .update(offers)
      .set(values)
      .where(and(eq(offers.brandId, brandId), eq(offers.id, id)));
  }

  /**
   * Non-suppressed offers of the member, other than `excludeId`: of this campaign since
   * `campaignSince`, and of every campaign since `anySince` (frequency cap, contact pressure).
   */
  async recentCounts(
    brandId: string,
    memberId: string,
    window: { campaignId: string; campaignSince: Date; anySince: Date; excludeId: string },
    tx: Executor,
  ): Promise<{ campaign: number; any: number }> {
    const result = await tx.execute<{ campaign: number; any: number }>(sql`
      select (count(*) filter (where campaign_id = ${window.campaignId} and issued_at > ${window.campaignSince}))::int as campaign,
             (count(*) filter (where issued_at > ${window.anySince}))::int as any
        from offers
       where brand_id = ${brandId} and member_id = ${memberId} and status <> 'suppressed'
         and id <> ${window.excludeId}
         and issued_at > least(${window.campaignSince}::timestamptz, ${window.anySince}::timestamptz)`);
    return result.rows[0] ?? { campaign: 0, any: 0 };
  }

  /** Which paid order of the member this is (1 = first), by placed_at then id. */
  async orderOrdinal(brandId: string, memberId: string, orderId: string): Promise<number | null> {
    const result = await this.ex().execute<{ n: number | null }>(sql`
      select (select count(*)::int from orders p
               where p.brand_id = o.brand_id and p.member_id = o.member_id
                 and (p.placed_at, p.id) <= (o.placed_at, o.id)) as n
        from orders o
       where o.brand_id = ${brandId} and o.member_id = ${memberId} and o.id = ${orderId}`);
    return result.rows[0]?.n ?? null;
  }

  async memberFields(brandId: string, memberId: string, tx?: Executor) {
    const [row] = await this.ex(tx)
      .select({ firstName: members.firstName, lastName: members.lastName })
      .from(members)
      .where(and(eq(members.brandId, brandId), eq(members.id, memberId)));
    return row ?? null;
  }

  async find(brandId: string, id: string, tx?: Executor): Promise<Offer | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(offers)
      .where(and(eq(offers.brandId, brandId), eq(offers.id, id)));
    return row ?? null;
  }

  async markDelivered(brandId: string, id: string, at: Date, tx?: Executor): Promise<void> {
    await this.ex(tx)
      .update(offers)
      .set({ status: 'delivered', deliveredAt: at })
      .where(and(eq(offers.brandId, brandId), eq(offers.id, id), eq(offers.status, 'issued')));
  }

  /** Storefront reports the member saw it; idempotent (the first time is kept). */
  async markOpened(brandId: string, id: string, at: Date, tx?: Executor): Promise<Offer | null> {
    const [row] = await this.ex(tx)
      .update(offers)
      .set({
        openedAt: sql`coalesce(${offers.openedAt}, ${at})`,
        status: sql`case when ${offers.status} in ('issued', 'delivered') then 'opened'::offer_status else ${offers.status} end`,
      })
      .where(
        and(
          eq(offers.brandId, brandId),
          eq(offers.id, id),
          inArray(offers.status, ['issued', 'delivered', 'opened', 'redeemed']),
        ),
      )
      .returning();
    return row ?? null;
  }

  async markRedeemedByCoupon(
    brandId: string,
    memberId: string,
    couponId: string,
    at: Date,
    tx?: Executor,
  ): Promise<number> {
    const rows = await this.ex(tx)
      .update(offers)
      .set({ status: 'redeemed', redeemedAt: at })
      .where(
        and(
          eq(offers.brandId, brandId),
          eq(offers.memberId, memberId),
          eq(offers.couponId, couponId),
          inArray(offers.status, ['issued', 'delivered', 'opened']),
        ),
      )
      .returning({ id: offers.id });
    return rows.length;
  }

  /** Offers whose coupon expired or was voided without being redeemed → `expired` (all brands). */
  async expireDue(now: Date, tx?: Executor): Promise<number> {
    const result = await this.ex(tx).execute(sql`
      update offers o set status = 'expired', expired_at = ${now}
        from coupons c
       where c.brand_id = o.brand_id and c.id = o.coupon_id
         and o.status in ('issued', 'delivered', 'opened')
         and (c.status in ('expired', 'void') or (c.status = 'issued' and c.expires_at <= ${now}))`);
    return result.rowCount ?? 0;
  }

  /**
   * Members a scan trigger fires for now, without an offer for that occurrence yet. `recency`:
   * last order between `days` and `days + windowDays` ago (one occurrence per last order);
   * `birthday`: birthday falls `leadDays` from today (one per year).
   */
  async scanCandidates(
    brandId: string,
    campaignId: string,
    trigger:
      | { type: 'days_since_last_purchase'; days: number; windowDays: number }
      | { type: 'birthday'; leadDays: number },
    now: Date,
    limit: number,
  ): Promise<Array<{ memberId: string; key: string }>> {
    const query =
      trigger.type === 'days_since_last_purchase'
        ? sql`
          select s.member_id as "memberId",
                 'days_since_last_purchase:' || s.member_id || ':' ||
                   to_char(s.last_order_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as key
            from member_segments s
           where s.brand_id = ${brandId}
             and s.last_order_at <= ${now}::timestamptz - make_interval(days => ${trigger.days})
             and s.last_order_at > ${now}::timestamptz - make_interval(days => ${trigger.days + trigger.windowDays})`
        : sql`
          select m.id as "memberId",
                 'birthday:' || m.id || ':' || to_char(${now}::timestamptz + make_interval(days => ${trigger.leadDays}), 'YYYY') as key
            from members m
           where m.brand_id = ${brandId} and m.birthday is not null
             and to_char(m.birthday, 'MM-DD') =
                 to_char((${now}::timestamptz at time zone 'UTC') + make_interval(days => ${trigger.leadDays}), 'MM-DD')`;
    const result = await this.ex().execute<{ memberId: string; key: string }>(sql`
      select c."memberId", c.key from (${query}) c
       where not exists (select 1 from offers o
                          where o.brand_id = ${brandId} and o.campaign_id = ${campaignId}
                            and o.occurrence_key = c.key)
       limit ${limit}`);
    return result.rows;
  }

  /**
   * Per arm: units (offer rows, suppressed excluded), members, units converted (≥ 1 paid order in
   * [issued_at, issued_at + attribution days]), orders and net revenue in that window with the sum
   * of squares of per-unit revenue (for the interval).
   */
  async armFigures(
    brandId: string,
    campaignId: string,
    attributionDays: number,
  ): Promise<ArmFigures[]> {
    const result = await this.ex().execute<ArmFigures>(sql`
      select o.arm,
             count(*)::int as units,
             count(distinct o.member_id)::int as members,
             (count(*) filter (where x.orders > 0))::int as converted,
             coalesce(sum(x.orders), 0)::int as orders,
             coalesce(sum(x.revenue), 0)::float8 as revenue,
             coalesce(sum(x.revenue::float8 * x.revenue::float8), 0)::float8 as "revenueSquares"
        from offers o
        cross join lateral (
          select count(*) as orders, coalesce(sum(r.paid_total_minor - r.refunded_total_minor), 0) as revenue
            from orders r
           where r.brand_id = o.brand_id and r.member_id = o.member_id
             and r.placed_at >= o.issued_at
             and r.placed_at < o.issued_at + make_interval(days => ${attributionDays})
        ) x
       where o.brand_id = ${brandId} and o.campaign_id = ${campaignId} and o.status <> 'suppressed'
       group by o.arm`);
    return result.rows;
  }

  async cost(brandId: string, campaignId: string): Promise<CampaignCost> {
    const result = await this.ex().execute<CampaignCost>(sql`
      select coalesce(sum(c.discount_minor) filter (where c.status = 'redeemed'), 0)::float8 as "discountMinor",
             (count(c.id) filter (where c.status = 'redeemed'))::int as "redeemedCoupons",
             coalesce(sum(o.points), 0)::float8 as points,
             coalesce((select point_value_micros from loyalty_programs where brand_id = ${brandId}), 100)::int as "pointValueMicros"
        from offers o
        left join coupons c on c.brand_id = o.brand_id and c.id = o.coupon_id
       where o.brand_id = ${brandId} and o.campaign_id = ${campaignId} and o.arm = 'treatment'`);
    return result.rows[0];
  }

  async funnel(brandId: string, campaignId: string): Promise<Funnel> {
    const result = await this.ex().execute<Funnel>(sql`
      select (count(*) filter (where arm = 'treatment' and status not in ('suppressed', 'held_out')))::int as issued,
             (count(*) filter (where delivered_at is not null))::int as delivered,
             (count(*) filter (where opened_at is not null))::int as opened,
             (count(*) filter (where redeemed_at is not null))::int as redeemed,
             (count(*) filter (where expired_at is not null))::int as expired,
             (count(*) filter (where status = 'held_out'))::int as "heldOut",
             (count(*) filter (where status = 'suppressed'))::int as suppressed
        from offers where brand_id = ${brandId} and campaign_id = ${campaignId}`);
    return result.rows[0];
  }

  async suppressionReasons(brandId: string, campaignId: string): Promise<Record<string, number>> {
    const result = await this.ex().execute<{ reason: string; n: number }>(sql`
      select coalesce(reason, 'unknown') as reason, count(*)::int as n from offers
       where brand_id = ${brandId} and campaign_id = ${campaignId} and status = 'suppressed'
       group by 1`);
    return Object.fromEntries(result.rows.map((r) => [r.reason, r.n]));
  }
}
