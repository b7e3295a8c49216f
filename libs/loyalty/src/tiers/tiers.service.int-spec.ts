import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { BrandsService, IdentityModule, MembersService } from '@app/identity';
import { OutboxModule, OutboxPublisher } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import { createBrandWithOwner, unique } from '../../../../test/support/factories';
import { buildDrainer } from '../../../../test/support/outbox-testing';
import { LedgerInvariants, LedgerModule, LedgerService } from '../ledger';
import { TierEvaluationConsumer } from './tier-evaluation.consumer';
import { addDays, addMonths } from './tier-maths';
import { TierReviewService } from './tier-review.service';
import { TiersModule } from './tiers.module';
import type { Tier } from './tiers.repository';
import { TiersService } from './tiers.service';

const DAY = 86_400_000;

describe('TiersService and TierReviewService (integration)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let tiers: TiersService;
  let review: TierReviewService;
  let members: MembersService;
  let brandId: string;
  let ownerId: string;
  let byCode: Record<string, Tier>;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        OutboxModule,
        IdentityModule,
        LedgerModule,
        TiersModule,
      ],
      providers: [TierEvaluationConsumer],
    }).compile();
    await moduleRef.init();
    tiers = moduleRef.get(TiersService);
    review = moduleRef.get(TierReviewService);
    members = moduleRef.get(MembersService);
    const fixture = await createBrandWithOwner(moduleRef.get(BrandsService));
    brandId = fixture.brand.id;
    ownerId = fixture.owner.id;
    const actor = { brandId, id: ownerId };
    byCode = {};
    for (const input of [
      { code: 'member', name: 'Member', rank: 0 },
      {
        code: 'silver',
        name: 'Silver',
        rank: 1,
        minSpendMinor: 50_000,
        minOrders: 2,
        multiplierBp: 12_500,
      },
      {
        code: 'gold',
        name: 'Gold',
        rank: 2,
        minSpendMinor: 200_000,
        minOrders: 4,
        multiplierBp: 15_000,
      },
    ]) {
      byCode[input.code] = await tiers.create(actor, input);
    }
  });
  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  const newMember = async () =>
    (
      await members.register(brandId, {
        email: `m.${unique()}@example.test`,
        password: 'correct-horse-battery',
      })
    ).id;

  /** An ingested order, as the orders part writes it. */
  const order = async (
    memberId: string,
    paidMinor: number,
    placedAt: Date,
    refundedMinor = 0,
  ): Promise<string> => {
    const { rows } = await ctx.db.pool.query<{ id: string }>(
      `insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel,
                           refunded_total_minor, status, placed_at)
       values ($1, $2, $3, 'USD', $4, 'online', $5, $6, $7) returning id`,
      [
        brandId,
        `ext-${unique()}`,
        memberId,
        paidMinor,
        refundedMinor,
        refundedMinor === 0
          ? 'paid'
          : refundedMinor >= paidMinor
            ? 'refunded'
            : 'partially_refunded',
        placedAt,
      ],
    );
    return rows[0].id;
  };

  const tierRow = async (memberId: string) => {
    const { rows } = await ctx.db.pool.query<{
      tier_id: string;
      downgrade_warned_at: Date | null;
      next_review_at: Date;
    }>(
      'select tier_id, downgrade_warned_at, next_review_at from member_tiers where brand_id = $1 and member_id = $2',
      [brandId, memberId],
    );
    return rows[0];
  };
  const history = async (memberId: string) =>
    (
      await ctx.db.pool.query<{ reason: string; from_tier_id: string | null; to_tier_id: string }>(
        "select reason, from_tier_id, to_tier_id from tier_history where brand_id = $1 and member_id = $2 order by created_at, case reason when 'enrolled' then 0 else 1 end",
        [brandId, memberId],
      )
    ).rows;
  const events = async (memberId: string) =>
    (
      await ctx.db.pool.query<{
        topic: string;
        key: string;
        headers: Record<string, string>;
        payload: Record<string, unknown>;
      }>(
        `select topic, key, headers, payload from outbox_messages
          where brand_id = $1 and topic like 'tier.%' and payload->>'memberId' = $2 order by created_at`,
        [brandId, memberId],
      )
    ).rows;

  it('a member without a row has the entry tier; the first evaluation enrols them', async () => {
    const memberId = await newMember();
    expect((await tiers.currentTier(brandId, memberId))?.code).toBe('member');
    expect(await tierRow(memberId)).toBeUndefined();
    const result = await tiers.evaluate(brandId, memberId);
    expect(result).toMatchObject({ upgraded: false, enrolled: true, tier: { code: 'member' } });
    expect(await history(memberId)).toEqual([
      { reason: 'enrolled', from_tier_id: null, to_tier_id: byCode.member.id },
    ]);
    expect(await events(memberId)).toEqual([]);
  });

  it('upgrades at once on order.paid through the outbox, publishing tier.upgraded to the member room', async () => {
    const memberId = await newMember();
    const now = new Date();
    await order(memberId, 30_000, new Date(now.getTime() - 40 * DAY));
    // An order from before the 12-month window does not count.
    await order(memberId, 500_000, addMonths(now, -13));
    const latest = await order(memberId, 25_000, now);
    // Only this test's message is pending (sign-ups published member.registered).
    await ctx.db.pool.query(
      'update outbox_messages set delivered_at = now() where delivered_at is null',
    );
    const publisher = moduleRef.get(OutboxPublisher);
    await publisher.publish(ctx.db.db, brandId, {
      topic: 'order.paid',
      payload: { orderId: latest, memberId, paidTotalMinor: 25_000, placedAt: now.toISOString() },
    });
    const { drainer } = buildDrainer(ctx.config, ctx.db, [moduleRef.get(TierEvaluationConsumer)]);
    expect(await drainer.drainOnce()).toMatchObject({ delivered: 1 });

    expect((await tierRow(memberId)).tier_id).toBe(byCode.silver.id);
    expect((await tiers.currentTier(brandId, memberId))?.multiplierBp).toBe(12_500);
    expect((await history(memberId)).map((h) => h.reason)).toEqual(['enrolled', 'upgrade']);
    const [upgraded] = await events(memberId);
    expect(upgraded).toMatchObject({
      topic: 'tier.upgraded',
      key: `member:${memberId}`,
      headers: { realtime: 'key' },
      payload: {
        memberId,
        from: { code: 'member' },
        to: { code: 'silver', multiplierBp: 12_500 },
        stats: { spendMinor: 55_000, orders: 2, engagementPoints: 0 },
      },
    });

    // A refund re-evaluates but never downgrades outside a review.
    await ctx.db.pool.query(
      `update orders set refunded_total_minor = paid_total_minor, status = 'refunded' where id = $1`,
      [latest],
    );
    await ctx.db.pool.query(
      'update outbox_messages set delivered_at = now() where delivered_at is null',
    );
    await publisher.publish(ctx.db.db, brandId, {
      topic: 'order.refunded',
      payload: { orderId: latest, memberId, refundedMinor: 25_000 },
    });
    expect(await drainer.drainOnce()).toMatchObject({ delivered: 1 });
    expect((await tierRow(memberId)).tier_id).toBe(byCode.silver.id);
    const status = await tiers.status(brandId, memberId);
    expect(status.stats).toEqual({ spendMinor: 30_000, orders: 1, engagementPoints: 0 });
    expect(status.progress).toMatchObject({
      next: { code: 'gold' },
      spendMinor: { have: 30_000, need: 200_000, remaining: 170_000 },
      orders: { have: 1, need: 4, remaining: 3 },
    });
  });

  it('jumps straight to the highest qualifying tier', async () => {
    const memberId = await newMember();
    for (let i = 0; i < 4; i += 1) await order(memberId, 60_000, new Date(Date.now() - i * DAY));
    expect(await tiers.evaluate(brandId, memberId)).toMatchObject({
      upgraded: true,
      tier: { code: 'gold' },
    });
    expect((await history(memberId)).map((h) => [h.reason, h.to_tier_id])).toEqual([
      ['enrolled', byCode.member.id],
      ['upgrade', byCode.gold.id],
    ]);
  });

  it('two (and ten) concurrent evaluations write one enrolment and one upgrade', async () => {
    const memberId = await newMember();
    await order(memberId, 30_000, new Date());
    await order(memberId, 30_000, new Date());
    const results = await Promise.all(
      Array.from({ length: 10 }, () => tiers.evaluate(brandId, memberId)),
    );
    expect(results.filter((r) => r.upgraded)).toHaveLength(1);
    expect(results.filter((r) => r.enrolled)).toHaveLength(1);
    expect((await history(memberId)).map((h) => h.reason)).toEqual(['enrolled', 'upgrade']);
    expect((await events(memberId)).map((e) => e.topic)).toEqual(['tier.upgraded']);
  });

  it('review: warns first, then downgrades a member still not qualifying; idempotent re-runs', async () => {
    const memberId = await newMember();
    const start = new Date(Date.now() - 400 * DAY);
    // Gold a little over a year ago, then nothing.
    for (let i = 0; i < 4; i += 1)
      await order(memberId, 60_000, new Date(start.getTime() + i * DAY));
    await order(memberId, 60_000, new Date(Date.now() - 10 * DAY));
    await order(memberId, 1_000, new Date(Date.now() - 9 * DAY));
    await tiers.evaluate(brandId, memberId, { asOf: addDays(start, 5) });
    expect((await tierRow(memberId)).tier_id).toBe(byCode.gold.id);
    const dueAt = (await tierRow(memberId)).next_review_at;
    expect(dueAt.getTime()).toBe(addMonths(addDays(start, 5), 12).getTime());

    const asOf = new Date();
    expect(await review.runDue({ asOf })).toMatchObject({ reviewed: 1, warned: 1 });
    const warned = await tierRow(memberId);
    expect(warned.tier_id).toBe(byCode.gold.id);
    expect(warned.downgrade_warned_at?.getTime()).toBe(asOf.getTime());
    expect(warned.next_review_at.getTime()).toBe(addDays(asOf, 30).getTime());
    // Running again at the same instant finds nothing due.
    expect(await review.runDue({ asOf })).toMatchObject({ reviewed: 0 });
    const status = await tiers.status(brandId, memberId, asOf);
    expect(status.downgradeWarnedAt).not.toBeNull();
    expect(status.atRiskTo?.code).toBe('silver');

    const later = addDays(asOf, 30);
    expect(await review.runDue({ asOf: later })).toMatchObject({ reviewed: 1, downgraded: 1 });
    const after = await tierRow(memberId);
    expect(after.tier_id).toBe(byCode.silver.id);
    expect(after.downgrade_warned_at).toBeNull();
    expect(after.next_review_at.getTime()).toBe(addMonths(later, 12).getTime());
    expect((await history(memberId)).map((h) => h.reason)).toEqual([
      'enrolled',
      'upgrade',
      'review_downgrade',
    ]);
    const topics = await events(memberId);
    expect(topics.map((e) => e.topic)).toEqual([
      'tier.upgraded',
      'tier.downgrade_warning',
      'tier.downgraded',
    ]);
    expect(topics[1]).toMatchObject({
      key: `member:${memberId}`,
      payload: { tier: { code: 'gold' }, qualifiesFor: { code: 'silver' } },
    });
    expect(topics[2].payload).toMatchObject({ from: { code: 'gold' }, to: { code: 'silver' } });
  });

  it('review: a warned member who requalifies keeps the tier and the warning is cleared', async () => {
    const memberId = await newMember();
    const start = new Date(Date.now() - 400 * DAY);
    await order(memberId, 30_000, start);
    await order(memberId, 30_000, addDays(start, 1));
    await tiers.evaluate(brandId, memberId, { asOf: addDays(start, 2) });
    expect((await tierRow(memberId)).tier_id).toBe(byCode.silver.id);
    const asOf = new Date(Date.now() - 5 * DAY);
    expect(await review.runDue({ asOf })).toMatchObject({ warned: 1 });
    await order(memberId, 30_000, new Date(Date.now() - 2 * DAY));
    await order(memberId, 30_000, new Date(Date.now() - DAY));
    const later = addDays(asOf, 30);
    expect(await review.runDue({ asOf: later })).toMatchObject({ reviewed: 1, kept: 1 });
    const row = await tierRow(memberId);
    expect(row.tier_id).toBe(byCode.silver.id);
    expect(row.downgrade_warned_at).toBeNull();
    expect(row.next_review_at.getTime()).toBe(addMonths(later, 12).getTime());
  });

  it('review works in batches across members and resumes where it stopped', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => newMember()));
    const enrolledAt = new Date(Date.now() - 370 * DAY);
    for (const id of ids) await tiers.evaluate(brandId, id, { asOf: enrolledAt });
    const asOf = new Date();
    // Only the 5 entry-tier members of this test are due (earlier tests' rows are in the future).
    expect(await review.runDue({ asOf, batchSize: 2, maxBatches: 1 })).toMatchObject({
      reviewed: 2,
      kept: 2,
    });
    expect(await review.runDue({ asOf, batchSize: 2 })).toMatchObject({ reviewed: 3, kept: 3 });
    expect(await review.runDue({ asOf, batchSize: 2 })).toMatchObject({ reviewed: 0 });
  });

  it('counts behaviour-rule earns of the window as engagement points (ledger invariants hold)', async () => {
    const ledger = moduleRef.get(LedgerService);
    const memberId = await newMember();
    const earn = (points: number, source: 'rule' | 'staff' | 'order', earnedAt: Date) =>
      ledger.earn(brandId, memberId, {
        points,
        reason: `test_${source}`,
        source,
        actor: { type: 'system' },
        dedupeKey: `tiers-test:${unique()}`,
        earnedAt,
      });
    await earn(40, 'rule', new Date(Date.now() - 30 * DAY));
    await earn(25, 'rule', new Date(Date.now() - DAY));
    await earn(500, 'rule', addMonths(new Date(), -13)); // outside the window
    await earn(300, 'staff', new Date(Date.now() - DAY)); // not engagement
    await earn(200, 'order', new Date(Date.now() - DAY)); // not engagement
    const status = await tiers.status(brandId, memberId);
    expect(status.stats).toEqual({ spendMinor: 0, orders: 0, engagementPoints: 65 });
    expect(status.progress?.engagementPoints).toEqual({ have: 65, need: 0, remaining: 0 });
    expect(await moduleRef.get(LedgerInvariants).check(brandId)).toEqual([]);
  });

  it('two reviews running at once review each due member once: one warning each', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => newMember()));
    const start = new Date(Date.now() - 500 * DAY);
    for (const id of ids) {
      await order(id, 30_000, start);
      await order(id, 30_000, addDays(start, 1));
      await tiers.evaluate(brandId, id, { asOf: addDays(start, 2) });
    }
    const asOf = new Date(Date.now() - 60 * DAY);
    const [a, b] = await Promise.all([
      review.runDue({ asOf, batchSize: 2 }),
      review.runDue({ asOf, batchSize: 2 }),
    ]);
    expect(a.reviewed + b.reviewed).toBe(6);
    expect(a.warned + b.warned).toBe(6);
    for (const id of ids) {
      expect((await events(id)).map((e) => e.topic)).toEqual([
        'tier.upgraded',
        'tier.downgrade_warning',
      ]);
    }
  });
});
