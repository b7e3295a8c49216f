import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import type { DateRange } from './analytics-maths';
import { AnalyticsModule } from './analytics.module';
import { AnalyticsRollupRepository } from './analytics-rollup.repository';
import { AnalyticsRollupService } from './analytics-rollup.service';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';

const DAY = 86_400_000;

/** Deterministic pseudo-random numbers (mulberry32), so a failure replays. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The dashboard read from rollups + live slices must equal the all-live computation exactly, for
 * windows aligned or not on days, reaching into today or not, before and after late events
 * (refunds of old orders, orders ingested late, late reviews, new members) are absorbed by a run.
 */
describe('analytics rollups (integration): rollup answers equal the live SQL', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let service: AnalyticsService;
  let rollups: AnalyticsRollupService;
  const brandId = randomUUID();
  const members: string[] = [];
  const orders: { id: string; placedAt: Date; paid: number; refunded: boolean }[] = [];
  let community = '';
  let now = new Date('2026-06-15T13:45:00Z');
  const random = prng(9);
  let seq = 0;

  const q = (text: string, params: unknown[]) => ctx.db.pool.query(text, params);
  const at = (daysAgo: number) =>
    new Date(now.getTime() - daysAgo * DAY + Math.floor(random() * 3_600_000));

  async function addMember(): Promise<string> {
    const id = randomUUID();
    members.push(id);
    await q(`insert into members (brand_id, id, referral_code) values ($1, $2, $3)`, [
      brandId,
      id,
      `R${members.length}-${brandId.slice(0, 6)}`,
    ]);
    return id;
  }

  /** An order; `ingestedAt` null means ingested when placed (the common case). */
  async function addOrder(
    member: string,
    placedAt: Date,
    refunded: 'none' | 'partial' | 'full' = 'none',
    ingestedAt: Date | null = placedAt,
  ): Promise<string> {
    const id = randomUUID();
    seq += 1;
    const paid = 1000 + Math.floor(random() * 9000);
    const refundedMinor = refunded === 'full' ? paid : refunded === 'partial' ? 300 : 0;
    const status =
      refunded === 'full' ? 'refunded' : refunded === 'partial' ? 'partially_refunded' : 'paid';
    await q(
      `insert into orders (brand_id, id, external_id, member_id, currency, paid_total_minor, channel,
                           status, refunded_total_minor, placed_at, created_at)
       values ($1, $2, $3, $4, 'USD', $5, 'online', $6, $7, $8, coalesce($9, now()))`,
      [brandId, id, `o${seq}`, member, paid, status, refundedMinor, placedAt, ingestedAt],
    );
    orders.push({ id, placedAt, paid, refunded: refunded !== 'none' });
    return id;
  }

  async function refund(order: { id: string; paid: number }, amount: number): Promise<void> {
    seq += 1;
    await q(
      `update orders set refunded_total_minor = refunded_total_minor + $3,
              status = case when refunded_total_minor + $3 >= paid_total_minor then 'refunded'
                            else 'partially_refunded' end::order_status
        where brand_id = $1 and id = $2`,
      [brandId, order.id, amount],
    );
    await q(
      `insert into refunds (brand_id, external_id, order_id, amount_minor, lines)
       values ($1, $2, $3, $4, '[]')`,
      [brandId, `rf${seq}`, order.id, amount],
    );
  }

  async function addLedger(member: string, kind: string, amount: number, createdAt: Date) {
    seq += 1;
    await q(
      `insert into ledger_entries (brand_id, member_id, kind, amount, reason, source, actor_type,
                                   dedupe_key, created_at)
       values ($1, $2, $3, $4, 'fixture', 'system', 'system', $5, $6)`,
      [brandId, member, kind, amount, `l${seq}`, createdAt],
    );
  }

  async function addPost(member: string, createdAt: Date): Promise<void> {
    const id = randomUUID();
    await q(
      `insert into posts (brand_id, id, community_id, author_id, body, text_hash, created_at)
       values ($1, $2, $3, $4, 'hi', 'h', $5)`,
      [brandId, id, community, member, createdAt],
    );
    if (random() < 0.5)
      await q(
        `insert into comments (brand_id, post_id, author_id, body, text_hash, created_at)
         values ($1, $2, $3, 'yo', 'h', $4)`,
        [brandId, id, members[Math.floor(random() * members.length)], createdAt],
      );
  }

  async function addReview(orderId: string, createdAt: Date | null): Promise<void> {
    const [row] = (
      await q(`select member_id from orders where brand_id = $1 and id = $2`, [brandId, orderId])
    ).rows as { member_id: string }[];
    await q(
      `insert into reviews (brand_id, member_id, order_id, line_no, product_id, rating, body, text_hash, created_at)
       values ($1, $2, $3, 1, 'P1', 4, 'ok', 'h', coalesce($4, now()))
       on conflict do nothing`,
      [brandId, row.member_id, orderId, createdAt],
    );
  }

  /** Windows of every shape around `now`: aligned, mid-day, into today, before the data. */
  function windows(): DateRange[] {
    const midnight = new Date(Math.floor(now.getTime() / DAY) * DAY);
    const w = (from: Date, to: Date) => ({ from, to });
    const ago = (base: Date, days: number, hours = 0) =>
      new Date(base.getTime() - days * DAY - hours * 3_600_000);
    return [
      w(ago(now, 90), now),
      w(ago(now, 30), now),
      w(ago(now, 365), now),
      w(ago(midnight, 60), midnight),
      w(ago(midnight, 60, 7), ago(midnight, 3, 5)),
      w(ago(midnight, 45), ago(midnight, 44)),
      w(ago(midnight, 10, 3), ago(midnight, 10, 1)),
      w(midnight, now),
      w(ago(now, 0, 20), now),
      w(ago(midnight, 1), ago(midnight, -1)),
      w(ago(midnight, 500), ago(midnight, 400)),
    ];
  }

  async function expectRollupsEqualLive(): Promise<number> {
    let compared = 0;
    for (const range of windows()) {
      const [rolled, live] = await Promise.all([
        service.dashboard(brandId, range, now),
        service.dashboard(brandId, range, now, { live: true }),
      ]);
      expect({ range, dashboard: rolled }).toEqual({ range, dashboard: live });
      compared += 1;
    }
    return compared;
  }

  async function rollupTables(): Promise<unknown[]> {
    const daily = await q(
      `select day::text, orders, revenue_minor, earned, redeemed, expired, posts, comments, reviews,
              reviewed_orders from analytics_daily where brand_id = $1 order by day`,
      [brandId],
    );
    const days = await q(
      `select day::text, kind, encode(bits, 'hex') as bits from analytics_member_days
        where brand_id = $1 order by day, kind`,
      [brandId],
    );
    const firsts = await q(
      `select member_id, first_any_at, first_at, second_at from analytics_members
        where brand_id = $1 order by member_id`,
      [brandId],
    );
    return [daily.rows, days.rows, firsts.rows];
  }

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(ctx.config), DbModule, RedisModule, AnalyticsModule],
    }).compile();
    service = moduleRef.get(AnalyticsService);
    rollups = moduleRef.get(AnalyticsRollupService);
    await q(`insert into brands (id, slug, name) values ($1, $2, $2)`, [
      brandId,
      `ru-${brandId.slice(0, 8)}`,
    ]);
    community = randomUUID();
    await q(`insert into communities (brand_id, id, slug, name) values ($1, $2, 'c', 'C')`, [
      brandId,
      community,
    ]);
    for (let i = 0; i < 25; i += 1) await addMember();
    // 120 days of history, skewed members so some repeat, a few refunds, several orders a day.
    for (let i = 0; i < 400; i += 1) {
      const member = members[Math.floor(random() ** 2 * members.length)];
      const r = random();
      const id = await addOrder(
        member,
        at(random() * 120),
        r < 0.06 ? 'full' : r < 0.12 ? 'partial' : 'none',
      );
      if (random() < 0.15) await addReview(id, orders[orders.length - 1].placedAt);
    }
    for (let i = 0; i < 200; i += 1) {
      const member = members[Math.floor(random() * members.length)];
      const r = random();
      const kind = r < 0.5 ? 'earn' : r < 0.8 ? 'redeem' : r < 0.9 ? 'expire' : 'adjust';
      const amount = kind === 'earn' ? 50 : kind === 'adjust' ? 7 : -20;
      await addLedger(member, kind, amount, at(random() * 120));
    }
    for (let i = 0; i < 60; i += 1)
      await addPost(members[Math.floor(random() * members.length)], at(random() * 120));
    // Members who repeat only inside one month or one day: counted through the period's own
    // repeat bitmap, not across periods.
    const once = await addMember();
    await addOrder(once, new Date('2026-04-10T09:00:00Z'));
    await addOrder(once, new Date('2026-04-20T09:00:00Z'));
    const sameDay = await addMember();
    await addOrder(sameDay, new Date('2026-05-05T09:00:00Z'));
    await addOrder(sameDay, new Date('2026-05-05T19:00:00Z'));
    // Today, before `now`: orders (one member twice), points and a post.
    await addOrder(members[0], new Date(now.getTime() - 3_600_000));
    await addOrder(members[0], new Date(now.getTime() - 1_800_000));
    await addOrder(members[3], new Date(now.getTime() - 600_000), 'full');
    await addLedger(members[5], 'earn', 40, new Date(now.getTime() - 900_000));
    await addPost(members[6], new Date(now.getTime() - 300_000));
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('builds the rollups of every complete day and answers every window as the live SQL does', async () => {
    const outcome = await rollups.refreshBrand(brandId, { now });
    expect(outcome).toMatchObject({ throughDay: '2026-06-15', rebuilt: true });
    expect(outcome.days).toBeGreaterThanOrEqual(120);
    const [daily] = (await rollupTables()) as unknown[][];
    expect(daily.length).toBeGreaterThan(100);
    expect(await expectRollupsEqualLive()).toBe(windows().length);
  });

  it('absorbs late refunds, late orders, late reviews and new members at the next run', async () => {
    const old = orders.filter(
      (o) => !o.refunded && o.placedAt.getTime() < now.getTime() - 20 * DAY,
    );
    // Late events on days far older than the recompute window, written now (created_at = now()).
    await refund(old[0], old[0].paid); // full refund of an old order
    await refund(old[1], 200); // partial refund
    await addOrder(members[7], new Date(now.getTime() - 40 * DAY), 'none', null); // ingested late
    const newcomer = await addMember();
    await addOrder(newcomer, new Date(now.getTime() - 50 * DAY), 'none', null);
    await addOrder(newcomer, new Date(now.getTime() - 2 * 3_600_000));
    await addReview(old[2].id, null);
    // A member signed up today, not numbered by the last run, ordering and posting today.
    const today = await addMember();
    await addOrder(today, new Date(now.getTime() - 60_000));
    await addPost(today, new Date(now.getTime() - 30_000));

    // Before the run the live slices already see today's events; the next run absorbs the rest.
    await rollups.refreshBrand(brandId, { now });
    await expectRollupsEqualLive();

    // Repeating a run changes nothing; a rebuild from scratch gives the same tables.
    const before = await rollupTables();
    await rollups.refreshBrand(brandId, { now });
    expect(await rollupTables()).toEqual(before);
    await rollups.refreshBrand(brandId, { now, rebuild: true });
    expect(await rollupTables()).toEqual(before);
  });

  it('moves the boundary forward as days complete', async () => {
    now = new Date(now.getTime() + 2 * DAY + 5 * 3_600_000);
    for (let i = 0; i < 30; i += 1)
      await addOrder(
        members[Math.floor(random() * members.length)],
        at(random() * 2.2),
        random() < 0.1 ? 'full' : 'none',
      );
    await addLedger(members[1], 'redeem', -10, at(1));
    // Until the job runs, the days since the old boundary are computed live.
    await expectRollupsEqualLive();
    const outcome = await rollups.refreshBrand(brandId, { now });
    expect(outcome).toMatchObject({ throughDay: '2026-06-17', rebuilt: false });
    await expectRollupsEqualLive();

    // A reader that saw the previous boundary just before this run committed still gets the
    // live cohorts: the newer first-order facts are cut at its boundary.
    const live = moduleRef.get(AnalyticsRepository);
    const repo = moduleRef.get(AnalyticsRollupRepository);
    for (const range of windows())
      expect(await repo.cohorts(brandId, range, new Date('2026-06-15T00:00:00Z'))).toEqual(
        await live.cohorts(brandId, range),
      );
  });
});
