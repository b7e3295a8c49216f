import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { OutboxModule } from '@app/outbox';
import { SegmentsModule, SegmentsService } from '@app/segments';
import {
  insertOrder,
  seedMarketingBrand,
  seedMarketingMember,
} from '../../../test/support/marketing-factories';
import { type TestContext, createTestContext } from '../../../test/support/test-database';

const DAY = 86_400_000;

describe('segments recompute (integration)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let segments: SegmentsService;

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(ctx.config), DbModule, OutboxModule, SegmentsModule],
    }).compile();
    await moduleRef.init();
    segments = moduleRef.get(SegmentsService);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  const attrs = async (brandId: string) =>
    new Map(
      (
        await ctx.db.pool.query<{
          member_id: string;
          rfm_r: number;
          rfm_f: number;
          rfm_m: number;
          lifecycle: string;
          value_tier: string;
          persona: string;
          orders: number;
        }>('select * from member_segments where brand_id = $1', [brandId])
      ).rows.map((r) => [r.member_id, r]),
    );

  it('scores RFM quintiles, lifecycle, value tier and persona in one set-based pass', async () => {
    const { brandId } = await seedMarketingBrand(moduleRef);
    // Ten buyers: buyer i ordered i+1 times, the last (10 − i) × 3 days ago, each order (i+1) × 1000.
    const buyers: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const id = await seedMarketingMember(moduleRef, brandId);
      buyers.push(id);
      for (let k = 0; k <= i; k += 1)
        await insertOrder(ctx.db, brandId, id, {
          daysAgo: (10 - i) * 3 + k * 2,
          totalMinor: (i + 1) * 1000,
        });
    }
    const never = await seedMarketingMember(moduleRef, brandId);
    // Buyer 0 used a coupon on its only order: discount-driven.
    await ctx.db.pool.query(
      `insert into coupon_templates (brand_id, name, kind, value) values ($1, 't', 'amount_off', 100)`,
      [brandId],
    );
    await ctx.db.pool.query(
      `insert into coupons (brand_id, template_id, code, member_id, status, source)
       select $1, id, 'CODE1', $2, 'redeemed', 'test' from coupon_templates where brand_id = $1`,
      [brandId, buyers[0]],
    );

    const outcome = await segments.recomputeBrand(brandId);
    expect(outcome).toMatchObject({ members: 11, changes: [] });
    const rows = await attrs(brandId);
    // Quintiles: two buyers per score, best last.
    expect(buyers.map((id) => rows.get(id)!.rfm_f)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(buyers.map((id) => rows.get(id)!.rfm_m)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(buyers.map((id) => rows.get(id)!.rfm_r)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(rows.get(never)).toMatchObject({
      rfm_r: 0,
      lifecycle: 'new',
      value_tier: 'none',
      persona: 'unknown',
    });
    expect(rows.get(buyers[9])).toMatchObject({
      value_tier: 'top',
      persona: 'full_price',
      lifecycle: 'active',
    });
    expect(rows.get(buyers[0])).toMatchObject({ value_tier: 'low', persona: 'discount_driven' });

    const summary = await segments.summary(brandId);
    expect(summary.frequency).toEqual({ '0': 1, '1': 2, '2': 2, '3': 2, '4': 2, '5': 2 });

    // 100 days later, nothing new: the buyers drift to at-risk/dormant/churned; history + events.
    const later = await segments.recomputeBrand(brandId, {
      asOf: new Date(Date.now() + 100 * DAY),
    });
    expect(later.changes.length).toBeGreaterThan(0);
    const { rows: events } = await ctx.db.pool.query<{
      payload: { memberId: string; from: string; to: string };
    }>(
      `select payload from outbox_messages where brand_id = $1 and topic = 'member.lifecycle_changed'`,
      [brandId],
    );
    expect(events).toHaveLength(later.changes.length);
    const { rows: history } = await ctx.db.pool.query<{ n: number }>(
      `select count(*)::int as n from segment_history where brand_id = $1 and dimension = 'lifecycle'`,
      [brandId],
    );
    expect(history[0].n).toBe(later.changes.length);
    expect((await attrs(brandId)).get(buyers[0])!.lifecycle).toBe('dormant');
    // Re-running at the same instant changes nothing and publishes nothing.
    const again = await segments.recomputeBrand(brandId, {
      asOf: new Date(Date.now() + 100 * DAY),
    });
    expect(again).toMatchObject({ written: 0, changes: [] });
  });

  it('brand settings and options override the lifecycle thresholds', async () => {
    const { brandId } = await seedMarketingBrand(moduleRef);
    const id = await seedMarketingMember(moduleRef, brandId);
    await insertOrder(ctx.db, brandId, id, { daysAgo: 40 });
    await segments.recomputeBrand(brandId);
    expect((await attrs(brandId)).get(id)!.lifecycle).toBe('active');
    await ctx.db.pool.query(
      `update brands set settings = settings || '{"segments":{"lifecycle":{"defaultGapDays":20}}}' where id = $1`,
      [brandId],
    );
    await segments.recomputeBrand(brandId);
    expect((await attrs(brandId)).get(id)!.lifecycle).toBe('at_risk');
    await segments.recomputeBrand(brandId, {
      lifecycle: { activeFactor: 1, atRiskFactor: 1, dormantFactor: 1.5 },
    });
    expect((await attrs(brandId)).get(id)!.lifecycle).toBe('churned');
    await expect(segments.recomputeBrand(brandId, { lifecycle: { newDays: -1 } })).rejects.toThrow(
      'Invalid lifecycle policy',
    );
  });

  it('one member after an order: back to active, placed against the brand distribution', async () => {
    const { brandId } = await seedMarketingBrand(moduleRef);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const id = await seedMarketingMember(moduleRef, brandId);
      ids.push(id);
      await insertOrder(ctx.db, brandId, id, { daysAgo: 100 + i, totalMinor: 1000 * (i + 1) });
    }
    await segments.recomputeBrand(brandId);
    expect((await attrs(brandId)).get(ids[0])!.lifecycle).toBe('dormant');
    await insertOrder(ctx.db, brandId, ids[0], { daysAgo: 0, totalMinor: 50_000 });
    const outcome = await segments.recomputeMember(brandId, ids[0]);
    expect(outcome.changes).toEqual([
      expect.objectContaining({ memberId: ids[0], from: 'dormant', to: 'active' }),
    ]);
    expect((await attrs(brandId)).get(ids[0])).toMatchObject({
      orders: 2,
      rfm_r: 5,
      rfm_m: 5,
      value_tier: 'top',
    });
  });

  it('tags and named segments select members (audiences with segment ids)', async () => {
    const { brandId } = await seedMarketingBrand(moduleRef);
    const vip = await seedMarketingMember(moduleRef, brandId);
    const plain = await seedMarketingMember(moduleRef, brandId);
    await insertOrder(ctx.db, brandId, vip, { daysAgo: 100 });
    await insertOrder(ctx.db, brandId, plain, { daysAgo: 100 });
    await segments.recomputeBrand(brandId);
    expect(await segments.putTag(brandId, vip, 'vip')).toBe(true);
    expect(await segments.putTag(brandId, vip, 'vip')).toBe(false);
    await expect(segments.putTag(brandId, vip, 'Not A Tag')).rejects.toThrow('Invalid tag');
    const segment = await segments.createSegment(brandId, {
      name: 'Dormant VIPs',
      definition: { lifecycle: ['dormant'], tags: ['vip'] },
    });
    await expect(
      segments.createSegment(brandId, { name: 'Dormant VIPs', definition: {} }),
    ).rejects.toThrow('exists');
    expect((await segments.getSegment(brandId, segment.id)).size).toBe(1);
    const page = await segments.listSegmentMembers(brandId, segment.id, {});
    expect(page.items.map((m) => m.id)).toEqual([vip]);
    const audience = await segments.resolveAudience(brandId, {
      segmentIds: [segment.id],
      minOrders: 1,
    });
    expect(await segments.memberMatches(brandId, vip, audience)).toBe(true);
    expect(await segments.memberMatches(brandId, plain, audience)).toBe(false);
    await expect(
      segments.resolveAudience(brandId, { segmentIds: ['2f1b4a0e-8d7c-4b6a-9e5f-0a1b2c3d4e5f'] }),
    ).rejects.toThrow('Invalid audience');
    // Predictions: a member without a row fails a bound; with one, it is compared.
    const predicted = await segments.resolveAudience(brandId, { prediction: { p28Min: 0.5 } });
    expect(await segments.countAudience(brandId, predicted)).toBe(0);
    await ctx.db.pool.query(
      `insert into member_predictions (brand_id, member_id, algorithm, p7, p14, p28, p_alive, expected_purchases_12m, clv_12m_minor)
       values ($1, $2, 'test', 0.2, 0.4, 0.6, 0.9, 2, 1000)`,
      [brandId, plain],
    );
    expect(await segments.countAudience(brandId, predicted)).toBe(1);
    await segments.deleteTag(brandId, vip, 'vip');
    expect((await segments.getSegment(brandId, segment.id)).size).toBe(0);
  });

  it('tag rules: a segment with applyTag tags its members on each recompute and untags leavers', async () => {
    const { brandId } = await seedMarketingBrand(moduleRef);
    const lapsed = await seedMarketingMember(moduleRef, brandId);
    const loyal = await seedMarketingMember(moduleRef, brandId);
    await insertOrder(ctx.db, brandId, lapsed, { daysAgo: 100 });
    await insertOrder(ctx.db, brandId, loyal, { daysAgo: 5 });
    await segments.putTag(brandId, loyal, 'lapsed'); // a staff tag the rule must not remove
    await segments.createSegment(brandId, {
      name: 'Lapsed buyers',
      definition: { lifecycle: ['dormant'], minOrders: 1, applyTag: 'lapsed' },
    });
    const tags = async () =>
      (
        await ctx.db.pool.query<{ member_id: string; source: string }>(
          `select member_id, source from member_tags where brand_id = $1 and tag = 'lapsed' order by source`,
          [brandId],
        )
      ).rows;
    expect((await segments.recomputeBrand(brandId)).ruleTags).toEqual({ added: 1, removed: 0 });
    expect(await tags()).toEqual([
      expect.objectContaining({ member_id: lapsed, source: expect.stringMatching(/^rule:/) }),
      { member_id: loyal, source: 'staff' },
    ]);
    expect((await segments.recomputeBrand(brandId)).ruleTags).toEqual({ added: 0, removed: 0 });
    await insertOrder(ctx.db, brandId, lapsed, { daysAgo: 0 });
    expect((await segments.recomputeBrand(brandId)).ruleTags).toEqual({ added: 0, removed: 1 });
    expect(await tags()).toEqual([{ member_id: loyal, source: 'staff' }]);
    await expect(
      segments.createSegment(brandId, { name: 'x', definition: { tags: ['a'], applyTag: 'a' } }),
    ).rejects.toThrow('Invalid definition');
  });
});
