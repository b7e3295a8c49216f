import { Test, type TestingModule } from '@nestjs/testing';
import { RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { seedDemo } from '@app/demo';
import { createTestContext, type TestContext } from '@app/testing';
import { AnalyticsModule } from './analytics.module';
import { AnalyticsService, type Dashboard } from './analytics.service';

// Seeding the Complete Journey sample (47k baskets) takes several seconds on a busy machine.
jest.setTimeout(120_000);

/** The dashboard over the seeded Complete Journey data: plausible grocery numbers, consistent sums. */
describe('AnalyticsService.dashboard on the Complete Journey demo (integration, sanity)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let dashboard: Dashboard;
  let span: { first: Date; last: Date; orders: number; households: number; revenue: number };

  beforeAll(async () => {
    ctx = await createTestContext();
    const seeded = await seedDemo({ db: ctx.db, config: ctx.config });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(ctx.config), DbModule, RedisModule, AnalyticsModule],
    }).compile();
    const [row] = (
      await ctx.db.pool.query<{
        first: Date;
        last: Date;
        orders: number;
        households: number;
        revenue: number;
      }>(
        `select min(placed_at) as first, max(placed_at) as last, count(*)::int as orders,
                count(distinct member_id)::int as households, sum(paid_total_minor)::float8 as revenue
           from orders where brand_id = $1`,
        [seeded.brandId],
      )
    ).rows;
    span = row;
    dashboard = await moduleRef
      .get(AnalyticsService)
      .dashboard(
        seeded.brandId,
        { from: row.first, to: new Date(row.last.getTime() + 1) },
        new Date(row.last.getTime() + 86_400_000),
      );
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('covers every basket of the sample exactly once', () => {
    expect(dashboard.orders.orders).toBe(span.orders);
    expect(dashboard.orders.customers).toBe(span.households);
    expect(dashboard.orders.revenueMinor).toBe(span.revenue);
    expect(dashboard.orders.daily.reduce((sum, day) => sum + day.orders, 0)).toBe(span.orders);
    expect(dashboard.orders.cohorts.reduce((sum, c) => sum + c.customers, 0)).toBe(span.households);
    expect(dashboard.members.total).toBe(2_377);
  });

  it('gives plausible grocery numbers: most households come back, baskets of a few dollars to a hundred', () => {
    const { repurchaseRate, purchaseFrequency, averageOrderValueMinor } = dashboard.orders;
    expect(repurchaseRate).toBeGreaterThan(0.5);
    expect(repurchaseRate).toBeLessThanOrEqual(1);
    expect(purchaseFrequency).toBeGreaterThan(2);
    expect(purchaseFrequency).toBeLessThan(200);
    expect(averageOrderValueMinor).toBeGreaterThan(300);
    expect(averageOrderValueMinor).toBeLessThan(15_000);
    for (const cohort of dashboard.orders.cohorts) {
      expect(cohort.repeaters).toBeLessThanOrEqual(cohort.customers);
      expect(cohort.month).toMatch(/^\d{4}-\d{2}$/);
    }
    // The seed writes orders only: no points, campaigns or community yet.
    expect(dashboard.points).toMatchObject({ earned: 0, redemptionRate: null });
    expect(dashboard.campaigns).toEqual([]);
  });
});
