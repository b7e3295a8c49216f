import { Inject, Injectable } from '@nestjs/common';
import { type SQL, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor } from '@app/db';
import type { DateRange } from './analytics-maths';

export interface OrderSummaryRow {
  customers: number;
  repeatCustomers: number;
  orders: number;
  revenueMinor: number;
}
export interface DailyOrdersRow {
  day: string;
  orders: number;
  revenueMinor: number;
}
export interface CohortRow {
  month: string;
  customers: number;
  repeaters: number;
}
export interface PointsRow {
  earned: number;
  redeemed: number;
  expired: number;
}
export interface LiabilityRow {
  points: number;
  pointValueMicros: number;
}
export interface RewardUsageRow {
  redemptions: number;
  members: number;
  points: number;
}
export interface TopRewardRow {
  rewardId: string;
  name: string;
  redemptions: number;
  points: number;
}
export interface CouponUsageRow {
  issued: number;
  redeemed: number;
  discountMinor: number;
}
export interface LifecycleRow {
  stage: string;
  members: number;
}
export interface ClvRow {
  members: number;
  averageMinor: number | null;
  totalMinor: number;
  averagePAlive: number | null;
}
export interface CampaignArmRow {
  campaignId: string;
  name: string;
  status: string;
  arm: 'treatment' | 'holdout';
  members: number;
  converted: number;
  redeemed: number;
  costMinor: number;
}
export interface CommunityRow {
  posters: number;
  posts: number;
  comments: number;
  reviews: number;
  reviewedOrders: number;
}
export interface DropRow {
  id: string;
  title: string;
  status: string;
  startsAt: Date;
  peakViewers: number;
  chatMessages: number;
  stock: number;
  sold: number;
  revenueMinor: number;
  report: Record<string, unknown> | null;
}

/**
 * All SQL of the dashboard: set-based aggregates over the operational tables, each bounded by the
 * brand and the window so it runs on the (brand, time) indexes. Orders fully refunded do not count;
 * revenue is net of refunds.
 */
@Injectable()
export class AnalyticsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private async rows<T>(query: SQL, tx?: Executor): Promise<T[]> {
    return (await (tx ?? this.client.db).execute<Record<string, unknown>>(query)).rows as T[];
  }

  private async one<T>(query: SQL, tx?: Executor): Promise<T> {
    const [row] = await this.rows<T>(query, tx);
    return row;
  }

  /** Customers (members with ≥ 1 order in the window), repeaters (≥ 2), orders, net revenue. */
  orderSummary(brandId: string, range: DateRange, tx?: Executor): Promise<OrderSummaryRow> {
    return this.one<OrderSummaryRow>(
      sql`
      select count(*)::int as "customers",
             count(*) filter (where n >= 2)::int as "repeatCustomers",
             coalesce(sum(n), 0)::int as "orders",
             coalesce(sum(revenue), 0)::float8 as "revenueMinor"
        from (select member_id, count(*) as n, sum(paid_total_minor - refunded_total_minor) as revenue
                from orders
               where brand_id = ${brandId} and placed_at >= ${range.from} and placed_at < ${range.to}
                 and status <> 'refunded'
               group by member_id) m`,
      tx,
    );
  }

  dailyOrders(brandId: string, range: DateRange, tx?: Executor): Promise<DailyOrdersRow[]> {
    return this.rows<DailyOrdersRow>(
      sql`
      select to_char(placed_at at time zone 'UTC', 'YYYY-MM-DD') as "day",
             count(*)::int as "orders",
             sum(paid_total_minor - refunded_total_minor)::float8 as "revenueMinor"
        from orders
       where brand_id = ${brandId} and placed_at >= ${range.from} and placed_at < ${range.to}
         and status <> 'refunded'
       group by 1 order by 1`,
      tx,
    );
  }

  /**
   * Cohorts by the month of a member's first order ever (UTC; any order placed, even one refunded
   * later), for first orders inside the window: how many of them ordered again (orders not fully
   * refunded) before the end of the window. A member whose first order is in the window has all
   * their orders before its end inside it, so only the window's orders are read, plus one
   * index-only probe per member for an earlier order.
   */
  cohorts(brandId: string, range: DateRange, tx?: Executor): Promise<CohortRow[]> {
    return this.rows<CohortRow>(
      sql`
      select to_char(first_at at time zone 'UTC', 'YYYY-MM') as "month",
             count(*)::int as "customers",
             count(*) filter (where n >= 2)::int as "repeaters"
        from (select member_id, min(placed_at) as first_at, count(*) as n
                from orders
               where brand_id = ${brandId} and placed_at >= ${range.from} and placed_at < ${range.to}
                 and status <> 'refunded'
               group by member_id) m
       where not exists (select 1 from orders p
                          where p.brand_id = ${brandId} and p.member_id = m.member_id
                            and p.placed_at < ${range.from})
       group by 1 order by 1`,
      tx,
    );
  }

  /**
   * Points earned / redeemed / expired in the window, and the members active in it (ordered, or
   * moved points other than by expiry): one pass over the window's ledger entries serves both.
   */
  pointsAndActivity(
    brandId: string,
    range: DateRange,
    tx?: Executor,
  ): Promise<PointsRow & { active: number }> {
    return this.one<PointsRow & { active: number }>(
      sql`
      with l as materialized (
        select member_id, kind, amount from ledger_entries
         where brand_id = ${brandId} and created_at >= ${range.from} and created_at < ${range.to})
      select coalesce((select sum(amount) from l where kind = 'earn'), 0)::float8 as "earned",
             coalesce((select -sum(amount) from l where kind = 'redeem'), 0)::float8 as "redeemed",
             coalesce((select -sum(amount) from l where kind = 'expire'), 0)::float8 as "expired",
             (select count(*) from (
                select member_id from orders
                 where brand_id = ${brandId} and placed_at >= ${range.from} and placed_at < ${range.to}
                union
                select member_id from l where kind <> 'expire') a)::int as "active"`,
      tx,
    );
  }

  async memberCount(brandId: string, tx?: Executor): Promise<number> {
    const row = await this.one<{ n: number }>(
      sql`select count(*)::int as n from members where brand_id = ${brandId}`,
      tx,
    );
    return row.n;
  }

  /** Points still owed at `now` (open lots not past expiry) and the programme's point value. */
  liability(brandId: string, now: Date, tx?: Executor): Promise<LiabilityRow> {
    return this.one<LiabilityRow>(
      sql`
      select coalesce((select sum(remaining) from point_lots
                        where brand_id = ${brandId} and remaining > 0 and expired_at is null
                          and (expires_at is null or expires_at > ${now})), 0)::float8 as "points",
             coalesce((select point_value_micros from loyalty_programs
                        where brand_id = ${brandId}), 100)::int as "pointValueMicros"`,
      tx,
    );
  }

  rewardUsage(brandId: string, range: DateRange, tx?: Executor): Promise<RewardUsageRow> {
    return this.one<RewardUsageRow>(
      sql`
      select count(*)::int as "redemptions", count(distinct member_id)::int as "members",
             coalesce(sum(points), 0)::float8 as "points"
        from reward_redemptions
       where brand_id = ${brandId} and created_at >= ${range.from} and created_at < ${range.to}`,
      tx,
    );
  }

  topRewards(brandId: string, range: DateRange, tx?: Executor): Promise<TopRewardRow[]> {
    return this.rows<TopRewardRow>(
      sql`
      select r.id as "rewardId", r.name as "name", count(*)::int as "redemptions",
             sum(x.points)::float8 as "points"
        from reward_redemptions x
        join rewards r on r.brand_id = x.brand_id and r.id = x.reward_id
       where x.brand_id = ${brandId} and x.created_at >= ${range.from} and x.created_at < ${range.to}
       group by r.id, r.name
       order by count(*) desc, r.name
       limit 5`,
      tx,
    );
  }

  /** Coupons issued in the window, and redeemed in it: two range scans on (brand, time) indexes. */
  couponUsage(brandId: string, range: DateRange, tx?: Executor): Promise<CouponUsageRow> {
    return this.one<CouponUsageRow>(
      sql`
      select (select count(*) from coupons
               where brand_id = ${brandId} and issued_at >= ${range.from} and issued_at < ${range.to})::int as "issued",
             count(*)::int as "redeemed",
             coalesce(sum(discount_minor), 0)::float8 as "discountMinor"
        from coupons
       where brand_id = ${brandId} and redeemed_at >= ${range.from} and redeemed_at < ${range.to}`,
      tx,
    );
  }

  /** Members per lifecycle stage, as last computed by the segments job (empty before its first run). */
  lifecycle(brandId: string, tx?: Executor): Promise<LifecycleRow[]> {
    return this.rows<LifecycleRow>(
      sql`
      select lifecycle::text as "stage", count(*)::int as "members"
        from member_segments where brand_id = ${brandId}
       group by 1 order by 1`,
      tx,
    );
  }

  /** CLV over the members the timing model has scored (empty before its first run). */
  clv(brandId: string, tx?: Executor): Promise<ClvRow> {
    return this.one<ClvRow>(
      sql`
      select count(*)::int as "members", avg(clv_12m_minor)::float8 as "averageMinor",
             coalesce(sum(clv_12m_minor), 0)::float8 as "totalMinor",
             avg(p_alive)::float8 as "averagePAlive"
        from member_predictions where brand_id = ${brandId}`,
      tx,
    );
  }

  /**
   * Per campaign and arm, offers issued in the window (suppressed ones are not exposures): members,
   * members who placed an order within the campaign's attribution days after the offer, members who
   * redeemed it, and its cost.
   */
  campaignArms(brandId: string, range: DateRange, tx?: Executor): Promise<CampaignArmRow[]> {
    return this.rows<CampaignArmRow>(
      sql`
      with exposed as (
        select o.campaign_id, o.arm, o.member_id, o.status, o.cost_minor,
               exists (select 1 from orders x
                        where x.brand_id = o.brand_id and x.member_id = o.member_id
                          and x.status <> 'refunded' and x.placed_at >= o.issued_at
                          and x.placed_at < o.issued_at + make_interval(days => c.attribution_days)) as converted
          from offers o
          join campaigns c on c.brand_id = o.brand_id and c.id = o.campaign_id
         where o.brand_id = ${brandId} and o.issued_at >= ${range.from} and o.issued_at < ${range.to}
           and o.status <> 'suppressed')
      select c.id as "campaignId", c.name as "name", c.status::text as "status", e.arm::text as "arm",
             count(distinct e.member_id)::int as "members",
             count(distinct e.member_id) filter (where e.converted)::int as "converted",
             count(distinct e.member_id) filter (where e.status = 'redeemed')::int as "redeemed",
             coalesce(sum(e.cost_minor), 0)::float8 as "costMinor"
        from exposed e
        join campaigns c on c.brand_id = ${brandId} and c.id = e.campaign_id
       group by c.id, c.name, c.status, e.arm
       order by c.name, c.id, e.arm desc`,
      tx,
    );
  }

  /** Posters, posts, comments and reviews written in the window; orders of the window that were reviewed. */
  community(brandId: string, range: DateRange, tx?: Executor): Promise<CommunityRow> {
    return this.one<CommunityRow>(
      sql`
      select
        (select count(distinct author_id) from posts
          where brand_id = ${brandId} and created_at >= ${range.from} and created_at < ${range.to})::int as "posters",
        (select count(*) from posts
          where brand_id = ${brandId} and created_at >= ${range.from} and created_at < ${range.to})::int as "posts",
        (select count(*) from comments
          where brand_id = ${brandId} and created_at >= ${range.from} and created_at < ${range.to})::int as "comments",
        (select count(*) from reviews
          where brand_id = ${brandId} and created_at >= ${range.from} and created_at < ${range.to})::int as "reviews",
        (select count(*) from orders o
          where o.brand_id = ${brandId} and o.placed_at >= ${range.from} and o.placed_at < ${range.to}
            and o.status <> 'refunded'
            and exists (select 1 from reviews r where r.brand_id = o.brand_id and r.order_id = o.id))::int as "reviewedOrders"`,
      tx,
    );
  }

  /** Drops starting in the window (latest first), with stock and units sold over their SKUs. */
  drops(brandId: string, range: DateRange, tx?: Executor): Promise<DropRow[]> {
    return this.rows<DropRow>(
      sql`
      select d.id as "id", d.title as "title", d.status::text as "status", d.starts_at as "startsAt",
             d.peak_viewers as "peakViewers", d.chat_messages as "chatMessages", d.report as "report",
             coalesce(sum(s.stock), 0)::int as "stock", coalesce(sum(s.sold), 0)::int as "sold",
             coalesce(sum(s.sold * s.price_minor), 0)::float8 as "revenueMinor"
        from drops d
        left join drop_skus s on s.brand_id = d.brand_id and s.drop_id = d.id
       where d.brand_id = ${brandId} and d.starts_at >= ${range.from} and d.starts_at < ${range.to}
       group by d.brand_id, d.id
       order by d.starts_at desc
       limit 50`,
      tx,
    );
  }
}
