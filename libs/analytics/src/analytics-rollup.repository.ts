import { Inject, Injectable } from '@nestjs/common';
import { type SQL, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor } from '@app/db';
import type { DateRange } from './analytics-maths';
import type { CohortRow } from './analytics.repository';

export interface RollupState {
  /** First UTC day (YYYY-MM-DD) not rolled up. */
  throughDay: string;
  watermark: Date;
}
export interface DailyRollupRow {
  day: string;
  orders: number;
  revenueMinor: number;
  earned: number;
  redeemed: number;
  expired: number;
  posts: number;
  comments: number;
  reviews: number;
  reviewedOrders: number;
}
export interface MemberDayRow {
  day: string;
  /** A MemberDayKind, or `month:` + one for a whole month's bitmap. */
  kind: string;
  bits: Buffer;
}
export type MemberDayKind = 'customer' | 'repeat' | 'active' | 'poster';
export interface MemberDaySetRow {
  day: string;
  kind: MemberDayKind;
  idxs: number[];
}
/** A member seen in a live slice of the window (idx null: not numbered yet). */
export interface LiveMemberRow {
  memberId: string;
  idx: number | null;
  /** Orders not fully refunded. */
  orders: number;
  active: boolean;
  poster: boolean;
}
export type LiveSumsRow = Omit<DailyRollupRow, 'day'>;

/**
 * SQL of the analytics rollups (ADR 0021): building them from the operational tables, and reading
 * them back with live SQL for the parts of a window they do not cover. Every definition matches
 * AnalyticsRepository's live query of the same figure.
 */
@Injectable()
export class AnalyticsRollupRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private async rows<T>(query: SQL, tx?: Executor): Promise<T[]> {
    return (await (tx ?? this.client.db).execute<Record<string, unknown>>(query)).rows as T[];
  }

  async brandIds(tx?: Executor): Promise<string[]> {
    const rows = await this.rows<{ id: string }>(sql`select id from brands order by id`, tx);
    return rows.map((row) => row.id);
  }

  async state(brandId: string, tx?: Executor): Promise<RollupState | null> {
    const [row] = await this.rows<RollupState>(
      sql`select through_day::text as "throughDay", watermark as "watermark"
            from analytics_rollup_state where brand_id = ${brandId}`,
      tx,
    );
    return row ?? null;
  }

  /** One refresh per brand at a time, however many workers run. */
  async lock(brandId: string, tx: Executor): Promise<void> {
    await this.rows(
      sql`select pg_advisory_xact_lock(hashtextextended('analytics-rollup:' || ${brandId}, 0))`,
      tx,
    );
  }

  /**
   * Saves how far the rollups reach. The next run looks for late changes from 10 minutes before
   * this transaction began: a writer that started earlier commits rows with an older created_at.
   */
  async saveState(brandId: string, throughDay: string, tx: Executor): Promise<void> {
    await this.rows(
      sql`insert into analytics_rollup_state (brand_id, through_day, watermark, updated_at)
          values (${brandId}, ${throughDay}::date, now() - interval '10 minutes', now())
          on conflict (brand_id) do update
            set through_day = excluded.through_day, watermark = excluded.watermark,
                updated_at = excluded.updated_at`,
      tx,
    );
  }

  async clear(brandId: string, tx: Executor): Promise<void> {
    await this.rows(
      sql`with a as (delete from analytics_rollup_state where brand_id = ${brandId}),
               b as (delete from analytics_daily where brand_id = ${brandId}),
               c as (delete from analytics_member_days where brand_id = ${brandId})
          delete from analytics_members where brand_id = ${brandId}`,
      tx,
    );
  }

  /** The first UTC day with any activity the dashboard counts, or null for a brand without any. */
  async firstActivityDay(brandId: string, tx?: Executor): Promise<string | null> {
    const [row] = await this.rows<{ day: string | null }>(
      sql`select (least(
                (select min(placed_at) from orders where brand_id = ${brandId}),
                (select min(created_at) from ledger_entries where brand_id = ${brandId}),
                (select min(created_at) from posts where brand_id = ${brandId}),
                (select min(created_at) from comments where brand_id = ${brandId}),
                (select min(created_at) from reviews where brand_id = ${brandId})
              ) at time zone 'UTC')::date::text as "day"`,
      tx,
    );
    return row?.day ?? null;
  }

  /**
   * Rolled-up days (before `before`) touched since `since` by late changes: orders ingested with
   * an old placed_at, refunds, and reviews (they change the day's reviewed orders).
   */
  async dirtyDays(brandId: string, since: Date, before: Date, tx?: Executor): Promise<string[]> {
    const rows = await this.rows<{ day: string }>(
      sql`select distinct (o.placed_at at time zone 'UTC')::date::text as "day"
            from orders o
           where o.brand_id = ${brandId} and o.placed_at < ${before}
             and o.id in (select id from orders where brand_id = ${brandId} and created_at >= ${since}
                          union all
                          select order_id from refunds where brand_id = ${brandId} and created_at >= ${since}
                          union all
                          select order_id from reviews where brand_id = ${brandId} and created_at >= ${since})
           order by 1`,
      tx,
    );
    return rows.map((row) => row.day);
  }

  /** Numbers every member of the brand not numbered yet (dense, in order of sign-up). */
  async numberMembers(brandId: string, tx: Executor): Promise<void> {
    await this.rows(
      sql`insert into analytics_members (brand_id, member_id, idx)
          select ${brandId}, m.id,
                 (select coalesce(max(idx), -1) from analytics_members where brand_id = ${brandId})
                   + row_number() over (order by m.created_at, m.id)
            from members m
           where m.brand_id = ${brandId}
             and not exists (select 1 from analytics_members a
                              where a.brand_id = m.brand_id and a.member_id = m.id)`,
      tx,
    );
  }

  /** Replaces the daily rows of the day-aligned range. */
  async rebuildDaily(brandId: string, range: DateRange, tx: Executor): Promise<void> {
    const { from, to } = range;
    await this.rows(
      sql`delete from analytics_daily
           where brand_id = ${brandId} and day >= (${from}::timestamptz at time zone 'UTC')::date
             and day < (${to}::timestamptz at time zone 'UTC')::date`,
      tx,
    );
    await this.rows(
      sql`
      insert into analytics_daily (brand_id, day, orders, revenue_minor, earned, redeemed, expired,
                                   posts, comments, reviews, reviewed_orders)
      select ${brandId}, day, sum(orders), sum(revenue), sum(earned), sum(redeemed), sum(expired),
             sum(posts), sum(comments), sum(reviews), sum(reviewed)
        from (${this.sourceSums(brandId, range, true)}) s
       group by day`,
      tx,
    );
  }

  /**
   * Per-day (or, with perDay false, whole-range) sums of every additive figure over [from, to),
   * with the live queries' definitions.
   */
  private sourceSums(brandId: string, { from, to }: DateRange, perDay: boolean): SQL {
    const day = (column: SQL) =>
      perDay ? sql`(${column} at time zone 'UTC')::date` : sql`null::date`;
    return sql`
      select ${day(sql`o.placed_at`)} as day,
             count(*) filter (where o.status <> 'refunded') as orders,
             coalesce(sum(o.paid_total_minor - o.refunded_total_minor) filter (where o.status <> 'refunded'), 0) as revenue,
             0 as earned, 0 as redeemed, 0 as expired, 0 as posts, 0 as comments, 0 as reviews,
             count(*) filter (where o.status <> 'refunded'
                                and exists (select 1 from reviews r where r.brand_id = o.brand_id and r.order_id = o.id)) as reviewed
        from orders o
       where o.brand_id = ${brandId} and o.placed_at >= ${from} and o.placed_at < ${to}
       group by 1
      union all
      select ${day(sql`created_at`)}, 0, 0,
             coalesce(sum(amount) filter (where kind = 'earn'), 0),
             coalesce(-sum(amount) filter (where kind = 'redeem'), 0),
             coalesce(-sum(amount) filter (where kind = 'expire'), 0), 0, 0, 0, 0
        from ledger_entries
       where brand_id = ${brandId} and created_at >= ${from} and created_at < ${to}
       group by 1
      union all
      select ${day(sql`created_at`)}, 0, 0, 0, 0, 0, count(*), 0, 0, 0
        from posts where brand_id = ${brandId} and created_at >= ${from} and created_at < ${to}
       group by 1
      union all
      select ${day(sql`created_at`)}, 0, 0, 0, 0, 0, 0, count(*), 0, 0
        from comments where brand_id = ${brandId} and created_at >= ${from} and created_at < ${to}
       group by 1
      union all
      select ${day(sql`created_at`)}, 0, 0, 0, 0, 0, 0, 0, count(*), 0
        from reviews where brand_id = ${brandId} and created_at >= ${from} and created_at < ${to}
       group by 1`;
  }

  /** Per day and kind, the numbers (idx) of the members in that day's set, over a day-aligned range. */
  memberDaySets(
    brandId: string,
    { from, to }: DateRange,
    tx: Executor,
  ): Promise<MemberDaySetRow[]> {
    return this.rows<MemberDaySetRow>(
      sql`
      with o as (
        select (placed_at at time zone 'UTC')::date as day, member_id,
               count(*) filter (where status <> 'refunded') as n
          from orders where brand_id = ${brandId} and placed_at >= ${from} and placed_at < ${to}
         group by 1, 2),
      l as (
        select distinct (created_at at time zone 'UTC')::date as day, member_id
          from ledger_entries
         where brand_id = ${brandId} and created_at >= ${from} and created_at < ${to} and kind <> 'expire'),
      p as (
        select distinct (created_at at time zone 'UTC')::date as day, author_id as member_id
          from posts where brand_id = ${brandId} and created_at >= ${from} and created_at < ${to}),
      sets as (
        select day, 'customer' as kind, member_id from o where n >= 1
        union all
        select day, 'repeat', member_id from o where n >= 2
        union all
        select day, 'active', member_id from (select day, member_id from o union select day, member_id from l) a
        union all
        select day, 'poster', member_id from p)
      select s.day::text as "day", s.kind as "kind", array_agg(a.idx) as "idxs"
        from sets s
        join analytics_members a on a.brand_id = ${brandId} and a.member_id = s.member_id
       group by s.day, s.kind`,
      tx,
    );
  }

  /** Replaces the member-day bitmaps of the day-aligned range. */
  async replaceMemberDays(
    brandId: string,
    range: DateRange,
    rows: MemberDayRow[],
    tx: Executor,
  ): Promise<void> {
    await this.rows(
      sql`delete from analytics_member_days
           where brand_id = ${brandId} and day >= (${range.from}::timestamptz at time zone 'UTC')::date
             and day < (${range.to}::timestamptz at time zone 'UTC')::date and kind not like 'month:%'`,
      tx,
    );
    await this.replaceRows(brandId, rows, tx);
  }

  private async replaceRows(brandId: string, rows: MemberDayRow[], tx: Executor): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await this.rows(
        sql`insert into analytics_member_days (brand_id, day, kind, bits)
            select ${brandId}, d, k, b
              from unnest(${sql.param(chunk.map((r) => r.day))}::date[],
                          ${sql.param(chunk.map((r) => r.kind))}::text[],
                          ${sql.param(chunk.map((r) => r.bits))}::bytea[]) as t(d, k, b)`,
        tx,
      );
    }
  }

  /**
   * First order (any status) and first two orders not fully refunded placed before `before`, for
   * the members with an order placed in `touched` (every member when omitted).
   */
  async refreshMemberFirsts(
    brandId: string,
    before: Date,
    touched: DateRange | null,
    tx: Executor,
  ): Promise<void> {
    const only = touched
      ? sql`and member_id in (select member_id from orders
                               where brand_id = ${brandId} and placed_at >= ${touched.from}
                                 and placed_at < ${touched.to})`
      : sql``;
    await this.rows(
      sql`
      update analytics_members a
         set first_any_at = f.first_any, first_at = f.firsts[1], second_at = f.firsts[2]
        from (select member_id, min(placed_at) as first_any,
                     (array_agg(placed_at order by placed_at) filter (where status <> 'refunded')) as firsts
                from orders
               where brand_id = ${brandId} and placed_at < ${before} ${only}
               group by member_id) f
       where a.brand_id = ${brandId} and a.member_id = f.member_id`,
      tx,
    );
  }

  async daily(brandId: string, from: string, to: string, tx?: Executor): Promise<DailyRollupRow[]> {
    return this.rows<DailyRollupRow>(
      sql`select day::text as "day", orders as "orders", revenue_minor::float8 as "revenueMinor",
                 earned::float8 as "earned", redeemed::float8 as "redeemed", expired::float8 as "expired",
                 posts as "posts", comments as "comments", reviews as "reviews",
                 reviewed_orders as "reviewedOrders"
            from analytics_daily
           where brand_id = ${brandId} and day >= ${from}::date and day < ${to}::date
           order by day`,
      tx,
    );
  }

  /**
   * Day bitmaps of [from, to) except the days of [skipFrom, skipTo), and month bitmaps of the
   * months starting in [skipFrom, skipTo): the whole months in the middle of a window are read as
   * one bitmap per kind instead of ~30.
   */
  memberDays(
    brandId: string,
    from: string,
    to: string,
    months: { from: string; to: string } | null,
    tx?: Executor,
  ): Promise<MemberDayRow[]> {
    const [skipFrom, skipTo] = months ? [months.from, months.to] : [to, to];
    return this.rows<MemberDayRow>(
      sql`select day::text as "day", kind as "kind", bits as "bits"
            from analytics_member_days
           where brand_id = ${brandId} and day >= ${from}::date and day < ${to}::date
             and case when day >= ${skipFrom}::date and day < ${skipTo}::date
                      then kind like 'month:%' else kind not like 'month:%' end`,
      tx,
    );
  }

  /** Replaces the month bitmaps of one month (dated its first day). */
  async replaceMonth(
    brandId: string,
    month: string,
    rows: MemberDayRow[],
    tx: Executor,
  ): Promise<void> {
    await this.rows(
      sql`delete from analytics_member_days
           where brand_id = ${brandId} and day = ${month}::date and kind like 'month:%'`,
      tx,
    );
    await this.replaceRows(brandId, rows, tx);
  }

  /** Additive figures over a slice of a window, live. */
  async liveSums(brandId: string, range: DateRange, tx?: Executor): Promise<LiveSumsRow> {
    const [row] = await this.rows<LiveSumsRow>(
      sql`select coalesce(sum(orders), 0)::int as "orders", coalesce(sum(revenue), 0)::float8 as "revenueMinor",
                 coalesce(sum(earned), 0)::float8 as "earned", coalesce(sum(redeemed), 0)::float8 as "redeemed",
                 coalesce(sum(expired), 0)::float8 as "expired", coalesce(sum(posts), 0)::int as "posts",
                 coalesce(sum(comments), 0)::int as "comments", coalesce(sum(reviews), 0)::int as "reviews",
                 coalesce(sum(reviewed), 0)::int as "reviewedOrders"
            from (${this.sourceSums(brandId, range, false)}) s`,
      tx,
    );
    return row;
  }

  /** The members seen in a slice of a window, live: their orders, activity and posting. */
  liveMembers(brandId: string, { from, to }: DateRange, tx?: Executor): Promise<LiveMemberRow[]> {
    return this.rows<LiveMemberRow>(
      sql`
      with o as (
        select member_id, count(*) filter (where status <> 'refunded')::int as n
          from orders where brand_id = ${brandId} and placed_at >= ${from} and placed_at < ${to}
         group by member_id),
      l as (
        select distinct member_id from ledger_entries
         where brand_id = ${brandId} and created_at >= ${from} and created_at < ${to} and kind <> 'expire'),
      p as (
        select distinct author_id as member_id from posts
         where brand_id = ${brandId} and created_at >= ${from} and created_at < ${to}),
      u as (select member_id from o union select member_id from l union select member_id from p)
      select u.member_id as "memberId", a.idx as "idx", coalesce(o.n, 0) as "orders",
             (o.member_id is not null or l.member_id is not null) as "active",
             p.member_id is not null as "poster"
        from u
        left join o on o.member_id = u.member_id
        left join l on l.member_id = u.member_id
        left join p on p.member_id = u.member_id
        left join analytics_members a on a.brand_id = ${brandId} and a.member_id = u.member_id`,
      tx,
    );
  }

  /**
   * Cohorts as AnalyticsRepository.cohorts defines them, from the members' first orders placed
   * before `boundary` (rolled up) merged with the orders placed from `boundary` to the window's
   * end (live).
   */
  cohorts(brandId: string, range: DateRange, boundary: Date, tx?: Executor): Promise<CohortRow[]> {
    const { from, to } = range;
    return this.rows<CohortRow>(
      sql`
      with live as (
        select member_id, min(placed_at) as first_any,
               (array_agg(placed_at order by placed_at) filter (where status <> 'refunded')) as t
          from orders
         where brand_id = ${brandId} and placed_at >= ${boundary} and placed_at < ${to}
         group by member_id),
      -- Facts from a run newer than the caller's boundary may include orders the live part
      -- reads too: only their values before the boundary are used.
      stored as (
        select member_id,
               case when first_any_at < ${boundary} then first_any_at end as first_any_at,
               case when first_at < ${boundary} then first_at end as first_at,
               case when second_at < ${boundary} then second_at end as second_at
          from analytics_members
         where brand_id = ${brandId} and first_any_at >= ${from}),
      m as (
        select coalesce(s.first_any_at, l.first_any) as first_any,
               coalesce(s.first_at, l.t[1]) as first_at,
               case when s.first_at is null then l.t[2]
                    when s.second_at is null then l.t[1]
                    else s.second_at end as second_at
          from stored s
          full join live l on l.member_id = s.member_id
         where s.member_id is not null
            or not exists (select 1 from analytics_members x
                            where x.brand_id = ${brandId} and x.member_id = l.member_id
                              and x.first_any_at < ${from}))
      select to_char(first_at at time zone 'UTC', 'YYYY-MM') as "month",
             count(*)::int as "customers",
             count(*) filter (where second_at < ${to})::int as "repeaters"
        from m
       where first_any >= ${from} and first_at < ${to}
       group by 1 order by 1`,
      tx,
    );
  }
}
