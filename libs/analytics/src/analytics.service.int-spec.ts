import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import { AnalyticsModule } from './analytics.module';
import { AnalyticsRollupService } from './analytics-rollup.service';
import { AnalyticsService, type Dashboard } from './analytics.service';

/**
 * A small brand written straight into Postgres, with every expected number worked out by hand in
 * the comments (window: January and February 2026). A second brand's rows must not leak in.
 */
describe('AnalyticsService.dashboard (integration, hand-computed fixture)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let service: AnalyticsService;
  let dashboard: Dashboard;
  const brandId = randomUUID();
  const otherBrandId = randomUUID();
  const m: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', string> = {
    A: randomUUID(),
    B: randomUUID(),
    C: randomUUID(),
    D: randomUUID(),
    E: randomUUID(),
    F: randomUUID(),
  };
  const orderIds: Record<string, string> = {};
  const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };
  const now = new Date('2026-03-10T00:00:00Z');

  const q = (text: string, params: unknown[]) => ctx.db.pool.query(text, params);
  let seq = 0;

  async function order(
    key: string,
    member: string,
    at: string,
    paid: number,
    refunded = 0,
    brand = brandId,
  ): Promise<void> {
    const id = randomUUID();
    orderIds[key] = id;
    const status = refunded === 0 ? 'paid' : refunded >= paid ? 'refunded' : 'partially_refunded';
    await q(
      `insert into orders (brand_id, id, external_id, member_id, currency, paid_total_minor, channel,
                           status, refunded_total_minor, placed_at)
       values ($1, $2, $3, $4, 'USD', $5, 'online', $6, $7, $8)`,
      [brand, id, key, member, paid, status, refunded, at],
    );
  }

  async function ledger(member: string, kind: string, amount: number, at: string): Promise<void> {
    seq += 1;
    await q(
      `insert into ledger_entries (brand_id, member_id, kind, amount, reason, source, actor_type,
                                   dedupe_key, created_at)
       values ($1, $2, $3, $4, 'fixture', 'system', 'system', $5, $6)`,
      [brandId, member, kind, amount, `fx-${seq}`, at],
    );
  }

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(ctx.config), DbModule, RedisModule, AnalyticsModule],
    }).compile();
    service = moduleRef.get(AnalyticsService);

    for (const [id, slug] of [
      [brandId, `an-${brandId.slice(0, 8)}`],
      [otherBrandId, `an-${otherBrandId.slice(0, 8)}`],
    ])
      await q(`insert into brands (id, slug, name) values ($1, $2, $2)`, [id, slug]);
    for (const [name, id] of Object.entries(m))
      await q(
        `insert into members (brand_id, id, first_name, referral_code) values ($1, $2, $3, $4)`,
        [brandId, id, name, `REF${name}`],
      );
    const stranger = randomUUID();
    await q(`insert into members (brand_id, id, referral_code) values ($1, $2, 'REFX')`, [
      otherBrandId,
      stranger,
    ]);

    // Orders. In the window (not fully refunded): A×2, B×1, C×1, F×2 → 6 orders, 4 customers,
    // 2 repeaters (A, F); net revenue 2000+3000+5000+3000+1000+1000 = 15000.
    await order('a0', m.A, '2025-12-15T10:00:00Z', 1000);
    await order('a1', m.A, '2026-01-10T10:00:00Z', 2000);
    await order('a2', m.A, '2026-02-10T10:00:00Z', 3000);
    await order('b1', m.B, '2026-01-20T10:00:00Z', 5000);
    await order('b2', m.B, '2026-02-05T10:00:00Z', 1000, 1000); // fully refunded: not counted
    await order('c1', m.C, '2026-02-15T10:00:00Z', 4000, 1000); // partially: 3000 net
    await order('d1', m.D, '2026-03-05T10:00:00Z', 9000); // after the window
    await order('f1', m.F, '2026-01-05T10:00:00Z', 1000);
    await order('f2', m.F, '2026-01-25T10:00:00Z', 1000);
    await order('x1', stranger, '2026-01-15T10:00:00Z', 99_000, 0, otherBrandId);

    // Ledger in the window: earned 200 (A) + 50 (E) = 250; redeemed 100; expired 30 → rate 0.4.
    await ledger(m.A, 'earn', 200, '2026-01-10T10:00:00Z');
    await ledger(m.A, 'redeem', -100, '2026-02-01T10:00:00Z');
    await ledger(m.E, 'earn', 50, '2026-01-02T10:00:00Z');
    await ledger(m.D, 'expire', -30, '2026-02-01T10:00:00Z'); // not activity
    await ledger(m.B, 'earn', 100, '2025-12-01T10:00:00Z'); // before the window

    // Liability at `now`: only A's open lot (100 points) counts; at 5000 micros a point costs 0.5
    // minor units → 50.
    const [earnA] = (
      await q(
        `select id from ledger_entries where brand_id = $1 and member_id = $2 and kind = 'earn'`,
        [brandId, m.A],
      )
    ).rows as { id: string }[];
    await q(
      `insert into point_lots (brand_id, member_id, earn_entry_id, points, remaining, earned_at, available_at, expires_at, expired_at)
       values ($1, $2, $3, 200, 100, '2026-01-10', '2026-01-10', '2027-01-10', null),
              ($1, $4, gen_random_uuid(), 50, 50, '2025-03-05', '2025-03-05', '2026-03-05', null),
              ($1, $5, gen_random_uuid(), 100, 100, '2025-01-01', '2025-01-01', '2026-01-01', '2026-01-01')`,
      [brandId, m.A, earnA.id, m.E, m.B],
    );
    await q(`insert into loyalty_programs (brand_id, point_value_micros) values ($1, 5000)`, [
      brandId,
    ]);

    // Rewards: two redemptions of the Mug in the window (A, F), one before.
    const mug = randomUUID();
    await q(
      `insert into rewards (brand_id, id, type, name, cost_points) values ($1, $2, 'product', 'Mug', 100)`,
      [brandId, mug],
    );
    for (const [member, at, key] of [
      [m.A, '2026-02-01T10:00:00Z', 'r1'],
      [m.F, '2026-02-02T10:00:00Z', 'r2'],
      [m.A, '2025-11-01T10:00:00Z', 'r3'],
    ])
      await q(
        `insert into reward_redemptions (brand_id, reward_id, member_id, points, idempotency_key, created_at)
         values ($1, $2, $3, 100, $4, $5)`,
        [brandId, mug, member, key, at],
      );

    // Coupons: issued in the window c1, c2, c5 (3); redeemed in the window c1 and c3 (2; 500 + 300).
    const template = randomUUID();
    await q(
      `insert into coupon_templates (brand_id, id, name, kind, value) values ($1, $2, 'Five off', 'amount_off', 500)`,
      [brandId, template],
    );
    for (const [code, issued, redeemed, discount] of [
      ['c1', '2026-01-03', '2026-01-10', 500],
      ['c2', '2026-01-04', null, null],
      ['c3', '2025-12-20', '2026-01-06', 300],
      ['c4', '2025-06-01', null, null],
      ['c5', '2026-02-20', null, null],
    ])
      await q(
        `insert into coupons (brand_id, template_id, code, member_id, status, source, issued_at, redeemed_at, discount_minor)
         values ($1, $2, $3, $4, $5, 'staff', $6, $7, $8)`,
        [
          brandId,
          template,
          code,
          m.A,
          redeemed ? 'redeemed' : 'issued',
          issued,
          redeemed,
          discount,
        ],
      );

    // Lifecycle: 4 segmented members, 1 churned → 0.25.
    for (const [member, stage] of [
      [m.A, 'active'],
      [m.B, 'active'],
      [m.C, 'at_risk'],
      [m.D, 'churned'],
    ])
      await q(
        `insert into member_segments (brand_id, member_id, rfm_r, rfm_f, rfm_m, lifecycle, value_tier, persona)
         values ($1, $2, 3, 3, 3, $3, 'mid', 'unknown')`,
        [brandId, member, stage],
      );

    // CLV: A 10000 (p_alive 0.9), B 5000 (0.5) → mean 7500, total 15000, mean p_alive 0.7.
    for (const [member, clv, alive] of [
      [m.A, 10_000, 0.9],
      [m.B, 5_000, 0.5],
    ])
      await q(
        `insert into member_predictions (brand_id, member_id, algorithm, p7, p14, p28, p_alive, expected_purchases_12m, clv_12m_minor)
         values ($1, $2, 'bgnbd', 0.1, 0.2, 0.3, $4, 2, $3)`,
        [brandId, member, clv, alive],
      );

    // Campaign (14 attribution days). Treatment A (redeemed; ordered 9 days later), C (ordered 10
    // days later), E (never ordered) → 3 members, 2 converted, 1 redeemed, cost 500. Holdout B
    // (ordered 19 days later: too late), F (5 days later) → 2 members, 1 converted. D suppressed.
    // Uplift: 2/3 − 1/2 = 0.1667.
    const campaign = randomUUID();
    await q(
      `insert into campaigns (brand_id, id, name, status, trigger, reward, seed, attribution_days)
       values ($1, $2, 'Winback', 'active', '{}', '{}', 's', 14)`,
      [brandId, campaign],
    );
    for (const [member, arm, status, at, cost] of [
      [m.A, 'treatment', 'redeemed', '2026-02-01T10:00:00Z', 500],
      [m.C, 'treatment', 'delivered', '2026-02-05T10:00:00Z', 0],
      [m.E, 'treatment', 'issued', '2026-02-01T10:00:00Z', 0],
      [m.B, 'holdout', 'held_out', '2026-01-01T10:00:00Z', 0],
      [m.F, 'holdout', 'held_out', '2026-01-20T10:00:00Z', 0],
      [m.D, 'treatment', 'suppressed', '2026-01-20T10:00:00Z', 0],
    ])
      await q(
        `insert into offers (brand_id, campaign_id, member_id, occurrence_key, arm, status, cost_minor, issued_at)
         values ($1, $2, $3, $8, $4, $5, $6, $7)`,
        [brandId, campaign, member, arm, status, cost, at, `occ-${String(member)}`],
      );

    // Community: posts by A (2) and E (1) in the window, C before → 2 posters, 3 posts; 1 comment.
    // Reviews: A's of order a1 written in the window, C's of order c1 written after it → 1 review
    // per 6 orders; 2 of the 6 orders reviewed.
    const community = randomUUID();
    await q(
      `insert into communities (brand_id, id, slug, name) values ($1, $2, 'runners', 'Runners')`,
      [brandId, community],
    );
    const postIds: string[] = [];
    for (const [author, at] of [
      [m.A, '2026-01-11T10:00:00Z'],
      [m.A, '2026-02-11T10:00:00Z'],
      [m.E, '2026-02-12T10:00:00Z'],
      [m.C, '2025-12-01T10:00:00Z'],
    ]) {
      const id = randomUUID();
      postIds.push(id);
      await q(
        `insert into posts (brand_id, id, community_id, author_id, body, text_hash, created_at)
         values ($1, $2, $3, $4, 'hello', 'h', $5)`,
        [brandId, id, community, author, at],
      );
    }
    await q(
      `insert into comments (brand_id, post_id, author_id, body, text_hash, created_at)
       values ($1, $2, $3, 'nice', 'h', '2026-01-12T10:00:00Z')`,
      [brandId, postIds[0], m.B],
    );
    for (const [member, key, at] of [
      [m.A, 'a1', '2026-01-15T10:00:00Z'],
      [m.C, 'c1', '2026-03-02T10:00:00Z'],
    ])
      await q(
        `insert into reviews (brand_id, member_id, order_id, line_no, product_id, rating, body, text_hash, created_at)
         values ($1, $2, $3, 1, 'P1', 5, 'good', 'h', $4)`,
        [brandId, member, orderIds[key], at],
      );

    // Drops: one in the window (20 units, 15 sold, revenue 10×1000 + 5×2000 = 20000), one after.
    const drop = randomUUID();
    await q(
      `insert into drops (brand_id, id, title, status, starts_at, ends_at, peak_viewers, chat_messages, report)
       values ($1, $2, 'Winter drop', 'ended', '2026-02-20T10:00:00Z', '2026-02-21T10:00:00Z', 40, 12, '{"sellThroughSeconds": 95}'),
              ($1, gen_random_uuid(), 'Spring drop', 'scheduled', '2026-03-10T10:00:00Z', '2026-03-11T10:00:00Z', 0, 0, null)`,
      [brandId, drop],
    );
    await q(
      `insert into drop_skus (brand_id, drop_id, id, product_id, name, price_minor, stock, sold)
       values ($1, $2, 'S1', 'P1', 'Tee', 1000, 10, 10), ($1, $2, 'S2', 'P2', 'Hoodie', 2000, 10, 5)`,
      [brandId, drop],
    );

    dashboard = await service.dashboard(brandId, range, now);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('computes repurchase rate, frequency, AOV, daily series and first-order cohorts', () => {
    expect(dashboard.range).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-03-01T00:00:00.000Z',
    });
    expect(dashboard.orders).toEqual({
      customers: 4,
      repeatCustomers: 2,
      orders: 6,
      revenueMinor: 15_000,
      repurchaseRate: 0.5,
      purchaseFrequency: 1.5,
      averageOrderValueMinor: 2500,
      daily: [
        { day: '2026-01-05', orders: 1, revenueMinor: 1000 },
        { day: '2026-01-10', orders: 1, revenueMinor: 2000 },
        { day: '2026-01-20', orders: 1, revenueMinor: 5000 },
        { day: '2026-01-25', orders: 1, revenueMinor: 1000 },
        { day: '2026-02-10', orders: 1, revenueMinor: 3000 },
        { day: '2026-02-15', orders: 1, revenueMinor: 3000 },
      ],
      // A's first order was in December (outside). January: B (once), F (twice). February: C.
      cohorts: [
        { month: '2026-01', customers: 2, repeaters: 1, repurchaseRate: 0.5 },
        { month: '2026-02', customers: 1, repeaters: 0, repurchaseRate: 0 },
      ],
    });
  });

  it('counts members, active members (orders or points, not expiry), CLV and churn', () => {
    // Active: A, B (refunded order still is activity), C, F by orders; E by points; D only expired.
    expect(dashboard.members).toEqual({ total: 6, active: 5 });
    expect(dashboard.clv).toEqual({
      members: 2,
      averageMinor: 7500,
      totalMinor: 15_000,
      averagePAlive: 0.7,
    });
    expect(dashboard.lifecycle).toEqual({
      stages: { active: 2, at_risk: 1, churned: 1 },
      segmented: 4,
      churnRate: 0.25,
    });
  });

  it('sums points earned, redeemed and expired, the redemption rate and the liability', () => {
    expect(dashboard.points).toEqual({
      earned: 250,
      redeemed: 100,
      expired: 30,
      redemptionRate: 0.4,
      liabilityPoints: 100,
      liabilityMinor: 50,
    });
  });

  it('reports reward and coupon usage', () => {
    expect(dashboard.rewards).toEqual({
      redemptions: 2,
      members: 2,
      points: 200,
      top: [{ rewardId: expect.any(String), name: 'Mug', redemptions: 2, points: 200 }],
    });
    expect(dashboard.coupons).toEqual({
      issued: 3,
      redeemed: 2,
      discountMinor: 800,
      usageRate: 0.6667,
    });
  });

  it('summarises the campaign uplift against its holdout', () => {
    expect(dashboard.campaigns).toEqual([
      {
        campaignId: expect.any(String),
        name: 'Winback',
        status: 'active',
        treatment: {
          members: 3,
          converted: 2,
          redeemed: 1,
          costMinor: 500,
          conversionRate: 0.6667,
        },
        holdout: { members: 2, converted: 1, redeemed: 0, costMinor: 0, conversionRate: 0.5 },
        uplift: 0.1667,
      },
    ]);
  });

  it('measures community engagement and drop performance', () => {
    expect(dashboard.community).toEqual({
      posters: 2,
      posts: 3,
      comments: 1,
      reviews: 1,
      reviewsPerOrder: 0.1667,
      reviewRate: 0.3333,
    });
    expect(dashboard.drops).toEqual([
      {
        id: expect.any(String),
        title: 'Winter drop',
        status: 'ended',
        startsAt: '2026-02-20T10:00:00.000Z',
        peakViewers: 40,
        chatMessages: 12,
        stock: 20,
        sold: 15,
        sellThrough: 0.75,
        revenueMinor: 20_000,
        report: { sellThroughSeconds: 95 },
      },
    ]);
  });

  it('gives the same hand-computed dashboard from the rollups', async () => {
    await moduleRef.get(AnalyticsRollupService).refreshBrand(brandId, { now });
    const [state] = (
      await q(`select through_day::text as day from analytics_rollup_state where brand_id = $1`, [
        brandId,
      ])
    ).rows as { day: string }[];
    expect(state.day).toBe('2026-03-10');
    expect(await service.dashboard(brandId, range, now)).toEqual(dashboard);
  });

  it('returns zeros and unknown rates for a brand with nothing, and refuses a bad window', async () => {
    const empty = await service.dashboard(
      otherBrandId,
      { from: new Date('2027-01-01T00:00:00Z'), to: new Date('2027-02-01T00:00:00Z') },
      now,
    );
    expect(empty.orders).toMatchObject({
      customers: 0,
      orders: 0,
      repurchaseRate: null,
      averageOrderValueMinor: null,
    });
    expect(empty.lifecycle.churnRate).toBeNull();
    await expect(
      service.dashboard(brandId, { from: range.to, to: range.from }, now),
    ).rejects.toMatchObject({
      code: 'analytics.invalid_range',
    });
  });
});
