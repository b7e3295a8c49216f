import type { TestingModule } from '@nestjs/testing';
import { CampaignsService, OfferEngine } from '@app/offers';
import { SegmentsService } from '@app/segments';
import {
  amountOffTemplate,
  createOffersTestingModule,
  insertOrder,
  launchCampaign,
  seedMarketingBrand,
  seedMarketingMember,
} from '../../../test/support/marketing-factories';
import { type TestContext, createTestContext } from '../../../test/support/test-database';

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

describe('offer engine (integration)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let engine: OfferEngine;
  let brand: { brandId: string; ownerId: string };

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await createOffersTestingModule(ctx);
    engine = moduleRef.get(OfferEngine);
  });

  // A brand per test: campaigns of one test must not see the events of another.
  beforeEach(async () => {
    brand = await seedMarketingBrand(moduleRef);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  const offersOf = async (campaignId: string) =>
    (
      await ctx.db.pool.query<{
        member_id: string;
        status: string;
        reason: string | null;
        arm: string;
      }>(
        'select member_id, status, reason, arm from offers where campaign_id = $1 order by issued_at',
        [campaignId],
      )
    ).rows;

  const pointsReward = { type: 'points', points: 10 };

  /** Each event trigger: the same event delivered twice, and republished, gives one offer. */
  const eventCases: Array<{
    name: string;
    trigger: Record<string, unknown>;
    topic: string;
    payload: (memberId: string) => Promise<Record<string, unknown>> | Record<string, unknown>;
  }> = [
    {
      name: 'purchase window',
      trigger: { type: 'purchase_window' },
      topic: 'member.purchase_window_entered',
      payload: (memberId) => ({ memberId, windowEnteredAt: '2026-11-01T00:00:00.000Z' }),
    },
    {
      name: 'lifecycle change (win-back)',
      trigger: { type: 'lifecycle_change', to: ['dormant'] },
      topic: 'member.lifecycle_changed',
      payload: (memberId) => ({
        memberId,
        from: 'at_risk',
        to: 'dormant',
        historyId: `h-${memberId}`,
      }),
    },
    {
      name: 'second purchase',
      trigger: { type: 'nth_purchase', n: 2 },
      topic: 'order.paid',
      payload: async (memberId) => {
        await insertOrder(ctx.db, brand.brandId, memberId, { daysAgo: 10 });
        return { memberId, orderId: await insertOrder(ctx.db, brand.brandId, memberId) };
      },
    },
    {
      name: 'points about to expire',
      trigger: { type: 'points_expiring' },
      topic: 'points.expiring',
      payload: (memberId) => ({
        memberId,
        points: 50,
        earliestExpiresAt: '2026-12-01T00:00:00.000Z',
      }),
    },
    {
      name: 'tier change',
      trigger: { type: 'tier_change', direction: 'upgraded' },
      topic: 'tier.upgraded',
      payload: (memberId) => ({
        memberId,
        to: { id: '7b0c3f4e-1111-4a2b-9c3d-000000000001' },
        at: '2026-11-02T00:00:00.000Z',
      }),
    },
    {
      name: 'review approved',
      trigger: { type: 'review_approved' },
      topic: 'review.approved',
      payload: (memberId) => ({ memberId, reviewId: `r-${memberId}` }),
    },
    {
      name: 'joined a community',
      trigger: { type: 'community_joined' },
      topic: 'community.member_joined',
      payload: (memberId) => ({ memberId, communityId: '7b0c3f4e-2222-4a2b-9c3d-000000000002' }),
    },
    {
      name: 'drop missed',
      trigger: { type: 'drop_missed' },
      topic: 'drop.raffle_lost',
      payload: (memberId) => ({ memberId, dropId: '7b0c3f4e-3333-4a2b-9c3d-000000000003' }),
    },
  ];

  it.each(eventCases)(
    '$name fires exactly once per occurrence',
    async ({ trigger, topic, payload }) => {
      const campaign = await launchCampaign(moduleRef, brand.brandId, {
        trigger,
        reward: pointsReward,
      });
      const memberId = await seedMarketingMember(moduleRef, brand.brandId);
      const body = await payload(memberId);
      const first = await engine.handleEvent(brand.brandId, topic, body);
      expect(first).toEqual([expect.objectContaining({ outcome: 'issued' })]);
      // Redelivery and a republication of the same fact.
      expect(await engine.handleEvent(brand.brandId, topic, body)).toEqual([
        { outcome: 'duplicate' },
      ]);
      expect(await engine.handleEvent(brand.brandId, topic, { ...body })).toEqual([
        { outcome: 'duplicate' },
      ]);
      expect(await offersOf(campaign.id)).toEqual([
        expect.objectContaining({ member_id: memberId, status: 'issued', arm: 'treatment' }),
      ]);
      const { rows } = await ctx.db.pool.query<{ n: number }>(
        `select count(*)::int as n from ledger_entries where member_id = $1 and reason = 'campaign_offer'`,
        [memberId],
      );
      expect(rows[0].n).toBe(1);
    },
  );

  it('nth purchase only fires on the configured order (gradient: 1st, 2nd, 3rd+)', async () => {
    const first = await launchCampaign(moduleRef, brand.brandId, {
      trigger: { type: 'nth_purchase', n: 1 },
      reward: pointsReward,
    });
    const vip = await launchCampaign(moduleRef, brand.brandId, {
      trigger: { type: 'nth_purchase', n: 3, orMore: true },
      reward: pointsReward,
      caps: {},
    });
    const memberId = await seedMarketingMember(moduleRef, brand.brandId);
    for (let i = 0; i < 5; i += 1) {
      const orderId = await insertOrder(ctx.db, brand.brandId, memberId, { daysAgo: 10 - i });
      await engine.handleEvent(brand.brandId, 'order.paid', { memberId, orderId });
    }
    expect(await offersOf(first.id)).toHaveLength(1);
    // 3rd, 4th and 5th orders; the default contact pressure (3 per 7 days) stops the 5th.
    expect((await offersOf(vip.id)).map((o) => [o.status, o.reason])).toEqual([
      ['issued', null],
      ['issued', null],
      ['suppressed', 'contact_pressure'],
    ]);
  });

  it('scans: N days after the last purchase and birthday fire once per occurrence', async () => {
    const recency = await launchCampaign(moduleRef, brand.brandId, {
      trigger: { type: 'days_since_last_purchase', days: 30 },
      reward: pointsReward,
    });
    const birthday = await launchCampaign(moduleRef, brand.brandId, {
      trigger: { type: 'birthday', leadDays: 3 },
      reward: pointsReward,
    });
    const lapsed = await seedMarketingMember(moduleRef, brand.brandId);
    const recent = await seedMarketingMember(moduleRef, brand.brandId);
    await insertOrder(ctx.db, brand.brandId, lapsed, { daysAgo: 32 });
    await insertOrder(ctx.db, brand.brandId, recent, { daysAgo: 2 });
    await moduleRef.get(SegmentsService).recomputeBrand(brand.brandId);
    const celebrant = await seedMarketingMember(moduleRef, brand.brandId);
    await ctx.db.pool.query(
      `update members set birthday = (now() + interval '3 days')::date - interval '30 years' where id = $1`,
      [celebrant],
    );
    for (let run = 0; run < 2; run += 1) {
      await engine.scan(recency);
      await engine.scan(birthday);
    }
    expect((await offersOf(recency.id)).map((o) => o.member_id)).toEqual([lapsed]);
    expect((await offersOf(birthday.id)).map((o) => o.member_id)).toEqual([celebrant]);
  });

  it('caps: budget, per-member frequency, contact pressure; quiet hours hold the delivery', async () => {
    const budgeted = await launchCampaign(moduleRef, brand.brandId, {
      trigger: { type: 'review_approved' },
      reward: pointsReward,
      caps: { budgetPoints: 25, perMember: { max: 1, days: 30 } },
      overrides: { noHoldout: true },
    });
    const a = await seedMarketingMember(moduleRef, brand.brandId);
    const b = await seedMarketingMember(moduleRef, brand.brandId);
    const c = await seedMarketingMember(moduleRef, brand.brandId);
    for (const [m, r] of [
      [a, 'r1'],
      [a, 'r2'],
      [b, 'r3'],
      [c, 'r4'],
    ])
      await engine.handleEvent(brand.brandId, 'review.approved', {
        memberId: m,
        reviewId: `${budgeted.id}-${r}`,
      });
    expect((await offersOf(budgeted.id)).map((o) => [o.status, o.reason])).toEqual([
      ['issued', null],
      ['suppressed', 'frequency_cap'],
      ['issued', null],
      ['suppressed', 'budget_exhausted'],
    ]);
    const spent = await moduleRef.get(CampaignsService).get(brand.brandId, budgeted.id);
    expect(spent.spentPoints).toBe(20);

    const now = new Date();
    const quiet = await launchCampaign(moduleRef, brand.brandId, {
      trigger: { type: 'drop_missed' },
      reward: pointsReward,
      caps: {
        quietHours: {
          start: hhmm(new Date(now.getTime() - 3_600_000)),
          end: hhmm(new Date(now.getTime() + 3_600_000)),
        },
        contactPressure: { max: 1, days: 7 },
      },
    });
    const d = await seedMarketingMember(moduleRef, brand.brandId);
    await engine.handleEvent(brand.brandId, 'drop.raffle_lost', { memberId: d, dropId: 'drop-1' });
    await engine.handleEvent(brand.brandId, 'drop.raffle_lost', { memberId: d, dropId: 'drop-2' });
    expect((await offersOf(quiet.id)).map((o) => [o.status, o.reason])).toEqual([
      ['issued', null],
      ['suppressed', 'contact_pressure'],
    ]);
    const { rows } = await ctx.db.pool.query<{
      available_at: Date;
      headers: Record<string, string>;
    }>(
      `select available_at, headers from outbox_messages where topic = 'offer.issued' and payload->>'memberId' = $1`,
      [d],
    );
    expect(rows).toHaveLength(1);
    const end = new Date(now.getTime() + 3_600_000);
    end.setUTCSeconds(0, 0);
    expect(rows[0].available_at.getTime()).toBe(end.getTime());
    expect(rows[0].headers).toEqual({ realtime: 'key' });
  });

  it("quiet hours also hold the coupon's own coupon.issued push", async () => {
    const now = new Date();
    const templateId = await amountOffTemplate(moduleRef, brand);
    const campaign = await launchCampaign(moduleRef, brand.brandId, {
      trigger: { type: 'drop_missed' },
      reward: { type: 'coupon', templateId, costMinor: 500 },
      caps: {
        quietHours: {
          start: hhmm(new Date(now.getTime() - 3_600_000)),
          end: hhmm(new Date(now.getTime() + 3_600_000)),
        },
      },
    });
    const member = await seedMarketingMember(moduleRef, brand.brandId);
    await engine.handleEvent(brand.brandId, 'drop.raffle_lost', { memberId: member, dropId: 'd' });
    expect((await offersOf(campaign.id)).map((o) => o.status)).toEqual(['issued']);
    const { rows } = await ctx.db.pool.query<{ topic: string; available_at: Date }>(
      `select topic, available_at from outbox_messages
        where topic in ('offer.issued', 'coupon.issued') and payload->>'memberId' = $1
        order by topic`,
      [member],
    );
    const end = new Date(now.getTime() + 3_600_000);
    end.setUTCSeconds(0, 0);
    expect(rows.map((r) => [r.topic, r.available_at.getTime()])).toEqual([
      ['coupon.issued', end.getTime()],
      ['offer.issued', end.getTime()],
    ]);
  });

  it('holdout members get a held_out row and nothing else; arms never flip', async () => {
    const campaign = await launchCampaign(moduleRef, brand.brandId, {
      trigger: { type: 'review_approved' },
      reward: pointsReward,
      holdoutBp: 5000,
      overrides: { noCap: true },
    });
    const members = await Promise.all(
      Array.from({ length: 12 }, () => seedMarketingMember(moduleRef, brand.brandId)),
    );
    for (const m of members)
      await engine.handleEvent(brand.brandId, 'review.approved', {
        memberId: m,
        reviewId: `h-${m}`,
      });
    const rows = await offersOf(campaign.id);
    expect(rows.some((r) => r.arm === 'holdout')).toBe(true);
    for (const r of rows) expect(r.status).toBe(r.arm === 'holdout' ? 'held_out' : 'issued');
    const held = rows.filter((r) => r.arm === 'holdout').map((r) => r.member_id);
    const { rows: ledger } = await ctx.db.pool.query<{ n: number }>(
      `select count(*)::int as n from ledger_entries where member_id = any($1::uuid[]) and reason = 'campaign_offer'`,
      [held],
    );
    expect(ledger[0].n).toBe(0);
    // A later change of the holdout share does not move anyone.
    await ctx.db.pool.query('update campaigns set holdout_bp = 0 where id = $1', [campaign.id]);
    const again = { ...(await moduleRef.get(CampaignsService).get(brand.brandId, campaign.id)) };
    for (const m of held)
      expect(
        await engine.evaluate(again, {
          type: 'review_approved',
          memberId: m,
          key: `again:${m}`,
          context: {},
        }),
      ).toEqual(expect.objectContaining({ outcome: 'held_out' }));
  });

  it('two engines on the same trigger stream never double-issue nor overspend', async () => {
    const other = await createOffersTestingModule(ctx);
    try {
      const template = await amountOffTemplate(moduleRef, brand, 500);
      const campaign = await launchCampaign(moduleRef, brand.brandId, {
        trigger: { type: 'lifecycle_change', to: ['dormant'] },
        reward: { type: 'coupon', templateId: template },
        caps: { budgetMinor: 5_000 },
        overrides: { noHoldout: true },
      });
      const members = await Promise.all(
        Array.from({ length: 24 }, () => seedMarketingMember(moduleRef, brand.brandId)),
      );
      const events = members.map((memberId) => ({
        memberId,
        from: 'at_risk',
        to: 'dormant',
        historyId: `c-${memberId}`,
      }));
      const run = async (e: OfferEngine, order: typeof events) => {
        const lanes = [0, 1, 2].map(async (lane) => {
          for (let i = lane; i < order.length; i += 3)
            await e.handleEvent(brand.brandId, 'member.lifecycle_changed', order[i]);
        });
        await Promise.all(lanes);
      };
      await Promise.all([run(engine, events), run(other.get(OfferEngine), [...events].reverse())]);
      const rows = await offersOf(campaign.id);
      expect(rows).toHaveLength(24);
      expect(new Set(rows.map((r) => r.member_id)).size).toBe(24);
      expect(rows.filter((r) => r.status === 'issued')).toHaveLength(10);
      expect(rows.filter((r) => r.reason === 'budget_exhausted')).toHaveLength(14);
      const { rows: coupons } = await ctx.db.pool.query<{ n: number }>(
        `select count(*)::int as n from coupons where template_id = $1 and source = 'campaign'`,
        [template],
      );
      expect(coupons[0].n).toBe(10);
      expect(
        (await moduleRef.get(CampaignsService).get(brand.brandId, campaign.id)).spentMinor,
      ).toBe(5_000);
    } finally {
      await other.close();
    }
  });
});
