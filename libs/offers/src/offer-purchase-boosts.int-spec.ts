import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { RedisModule } from '@app/common';
import { DbModule } from '@app/db';
import { LedgerInvariants, LedgerService, OrdersModule, OrdersService } from '@app/loyalty';
import { OutboxModule } from '@app/outbox';
import { unique } from '../../../test/support/factories';
import {
  launchCampaign,
  seedMarketingBrand,
  seedMarketingMember,
} from '../../../test/support/marketing-factories';
import { type TestContext, createTestContext } from '../../../test/support/test-database';
import { CampaignResultsService } from './campaign-results.service';
import { CampaignsService } from './campaigns.service';
import { OfferEngine } from './offer-engine.service';
import { OfferPurchaseBoostsModule } from './offer-purchase-boosts';
import { OffersModule } from './offers.module';

const actor = { type: 'storefront' as const, id: 'test-key' };
const DAY_MS = 86_400_000;

describe('points-multiplier offers applied by order ingestion (integration)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let brand: { brandId: string; ownerId: string };

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        RedisModule,
        OutboxModule,
        OffersModule,
        OrdersModule,
        OfferPurchaseBoostsModule,
      ],
    }).compile();
    await moduleRef.init();
    brand = await seedMarketingBrand(moduleRef);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  afterEach(async () => {
    expect(await moduleRef.get(LedgerInvariants).check(brand.brandId)).toEqual([]);
  });

  const order = (memberId: string, placedAt: Date, paidMinor = 5000) => ({
    orderId: `SO-${unique()}`,
    memberId,
    lines: [{ productId: 'A', quantity: 1, unitPriceMinor: paidMinor, paidMinor }],
    paidTotalMinor: paidMinor,
    currency: 'USD',
    channel: 'online' as const,
    placedAt,
  });

  it('an order inside a treatment offer window earns × the multiplier; outside it and without an offer, normal points; the bonus is the campaign cost', async () => {
    const treated = await seedMarketingMember(moduleRef, brand.brandId);
    const other = await seedMarketingMember(moduleRef, brand.brandId);
    const campaign = await launchCampaign(moduleRef, brand.brandId, {
      trigger: { type: 'review_approved' },
      reward: { type: 'multiplier', multiplierBp: 20_000, days: 7 },
    });
    await moduleRef
      .get(OfferEngine)
      .handleEvent(brand.brandId, 'review.approved', { memberId: treated, reviewId: unique() });
    const [offer] = (
      await ctx.db.pool.query<{ id: string; issued_at: Date }>(
        'select id, issued_at from offers where campaign_id = $1',
        [campaign.id],
      )
    ).rows;
    expect(offer).toBeDefined();

    const orders = moduleRef.get(OrdersService);
    const inWindow = new Date(offer.issued_at.getTime() + 1_000);
    const [boosted, plain, before] = await Promise.all([
      orders.ingest(brand.brandId, order(treated, inWindow), actor),
      orders.ingest(brand.brandId, order(other, inWindow), actor),
      orders.ingest(
        brand.brandId,
        order(treated, new Date(offer.issued_at.getTime() - DAY_MS)),
        actor,
      ),
    ]);
    // 50.00 paid → 50 points; ×2 inside the window for the treated member only.
    expect(boosted.pointsAwarded).toBe(100);
    expect(plain.pointsAwarded).toBe(50);
    expect(before.pointsAwarded).toBe(50);

    const row = (
      await ctx.db.pool.query<{ status: string; points: number }>(
        'select status, points from offers where id = $1',
        [offer.id],
      )
    ).rows[0];
    expect(row).toEqual({ status: 'redeemed', points: 50 });
    expect(
      (await moduleRef.get(CampaignsService).get(brand.brandId, campaign.id)).spentPoints,
    ).toBe(50);
    const results = await moduleRef.get(CampaignResultsService).results(brand.brandId, campaign.id);
    expect(results).toMatchObject({ cost: { points: 50 } });
    expect((await moduleRef.get(LedgerService).balance(brand.brandId, treated)).balance).toBe(150);
  });
});
