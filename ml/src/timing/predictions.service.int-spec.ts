import { Test, type TestingModule } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import { RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { IdentityModule } from '@app/identity';
import { OutboxModule } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import { seedBrand, seedMember } from '../../../test/support/ledger-testing';
import { PredictionsModule } from './predictions.module';
import { PredictionsService } from './predictions.service';

const DAY_MS = 86_400_000;

describe('PredictionsService (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let service: PredictionsService;
  let brandId: string;
  const now = new Date('2026-06-01T12:00:00Z');

  const order = (memberId: string, daysAgo: number, paid = 2500, status = 'paid', refunded = 0) =>
    ctx.db.db.execute(sql`
      insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel, status,
                          refunded_total_minor, placed_at)
      values (${brandId}, ${`o-${Math.random()}`}, ${memberId}, 'USD', ${paid}, 'online',
              ${status}::order_status, ${refunded}, ${new Date(now.getTime() - daysAgo * DAY_MS)})`);

  const windowEvents = async (memberId: string) =>
    (
      await ctx.db.db.execute(sql`
        select 1 from outbox_messages
         where brand_id = ${brandId} and topic = 'member.purchase_window_entered' and key = ${`member:${memberId}`}`)
    ).rows.length;

  beforeAll(async () => {
    ctx = await createTestContext({ TF_BACKEND: 'cpu' });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        RedisModule,
        OutboxModule,
        IdentityModule,
        PredictionsModule,
      ],
    }).compile();
    await moduleRef.init();
    service = moduleRef.get(PredictionsService);
    brandId = await seedBrand(moduleRef);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('refits a brand, scores every buyer, announces a purchase window once and refreshes one member', async () => {
    const due = await seedMember(moduleRef, brandId);
    const lapsed = await seedMember(moduleRef, brandId);
    const refunded = await seedMember(moduleRef, brandId);
    for (let d = 83; d >= 3; d -= 4) await order(due, d);
    for (let i = 0; i < 5; i++) {
      const m = await seedMember(moduleRef, brandId);
      for (let d = 80 - i; d >= 8; d -= 9) await order(m, d);
    }
    await order(lapsed, 300);
    await order(lapsed, 240, 4000);
    await order(refunded, 10, 5000, 'refunded', 5000);

    const result = await service.refitBrand(brandId, { now });
    expect(result).toMatchObject({ brandId, members: 7, windowsEntered: expect.any(Number) });
    expect(result.modelVersionId).toEqual(expect.any(String));

    const p = await service.forMember(brandId, due);
    expect(p.p7).toBeGreaterThanOrEqual(0.5);
    expect(p.p14).toBeGreaterThanOrEqual(p.p7);
    expect(p.p28).toBeGreaterThanOrEqual(p.p14);
    expect(p.windowEnteredAt).toEqual(now);
    expect(p.nextPurchaseAt!.getTime()).toBeGreaterThan(now.getTime() - DAY_MS);
    expect(await windowEvents(due)).toBe(1);
    const [event] = (
      await ctx.db.db.execute<{ payload: Record<string, unknown> }>(sql`
        select payload from outbox_messages
         where brand_id = ${brandId} and topic = 'member.purchase_window_entered'`)
    ).rows;
    // The offers engine keys one offer per window on windowEnteredAt.
    expect(event.payload).toMatchObject({
      memberId: due,
      windowEnteredAt: now.toISOString(),
      modelVersionId: result.modelVersionId,
    });

    const cold = await service.forMember(brandId, lapsed);
    expect(cold.p7).toBeLessThan(0.5);
    expect(cold.windowEnteredAt).toBeNull();
    // A fully refunded order is no purchase: that member is not scored.
    await expect(service.forMember(brandId, refunded)).rejects.toMatchObject({
      code: 'ml.prediction_not_found',
    });

    // Rescoring (nightly again, or an order refresh) does not announce the same window twice.
    await service.refitBrand(brandId, { now: new Date(now.getTime() + 60_000) });
    expect(
      await service.refreshMember(brandId, due, { now: new Date(now.getTime() + 120_000) }),
    ).toBe('refreshed');
    expect(await windowEvents(due)).toBe(1);
    const versions = await ctx.db.db.execute<{ status: string }>(
      sql`select status from model_versions where brand_id = ${brandId} and kind = 'timing' order by created_at`,
    );
    expect(versions.rows.map((r) => r.status)).toEqual(['retired', 'active']);

    const page = await service.segment(brandId, 'likely-7d', { limit: 50 });
    expect(page.items.map((i) => i.memberId)).toContain(due);
    expect(page.items.map((i) => i.memberId)).not.toContain(lapsed);
    // The repeat buyer who stopped 8 months ago is at risk; the frequent buyer is not.
    const atRisk = await service.segment(brandId, 'at-risk', { limit: 50 });
    expect(atRisk.items.map((i) => i.memberId)).toContain(lapsed);
    expect(atRisk.items.map((i) => i.memberId)).not.toContain(due);
    for (const item of atRisk.items) expect(item.pAlive).toBeLessThan(0.5);

    // Keyset pages of one member each walk the segment in order without repeats.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const one = await service.segment(brandId, 'likely-28d', { limit: 1, cursor });
      seen.push(...one.items.map((i) => i.memberId));
      cursor = one.nextCursor ?? undefined;
    } while (cursor);
    const all = await service.segment(brandId, 'likely-28d', { limit: 100 });
    expect(seen).toEqual(all.items.map((i) => i.memberId));
  });

  it('reports no model for a brand never fitted', async () => {
    const other = await seedBrand(moduleRef);
    const member = await seedMember(moduleRef, other);
    expect(await service.refreshMember(other, member)).toBe('no_model');
    await expect(
      service.forMember(other, '00000000-0000-4000-8000-000000000000'),
    ).rejects.toMatchObject({
      code: 'ml.member_not_found',
    });
  });
});
