import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import { AnalyticsModule } from './analytics.module';
import { AnalyticsService } from './analytics.service';
import { DashboardCache } from './dashboard-cache';

describe('DashboardCache (integration)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let cache: DashboardCache;
  let service: AnalyticsService;
  const brandId = randomUUID();
  const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(ctx.config), DbModule, RedisModule, AnalyticsModule],
    }).compile();
    await moduleRef.init();
    cache = moduleRef.get(DashboardCache);
    service = moduleRef.get(AnalyticsService);
    await ctx.db.pool.query(`insert into brands (id, slug, name) values ($1, $2, 'Cache')`, [
      brandId,
      `cache-${brandId.slice(0, 8)}`,
    ]);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('computes a window once for concurrent and repeated requests, per brand and window', async () => {
    const compute = jest.spyOn(service, 'dashboard');
    const [a, b] = await Promise.all([
      cache.dashboard(brandId, range),
      cache.dashboard(brandId, range),
    ]);
    expect(a).toEqual(b);
    expect(compute).toHaveBeenCalledTimes(1);
    // Served from Redis now, even though an order arrived meanwhile (up to 60 s stale by design).
    const member = randomUUID();
    await ctx.db.pool.query(
      `insert into members (brand_id, id, referral_code) values ($1, $2, 'R1')`,
      [brandId, member],
    );
    await ctx.db.pool.query(
      `insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel, placed_at)
       values ($1, 'o1', $2, 'USD', 1000, 'online', '2026-01-10T00:00:00Z')`,
      [brandId, member],
    );
    expect((await cache.dashboard(brandId, range)).orders.orders).toBe(0);
    expect(compute).toHaveBeenCalledTimes(1);
    // Another window is another entry.
    const wider = await cache.dashboard(brandId, {
      from: range.from,
      to: new Date('2026-03-01T00:00:00Z'),
    });
    expect(wider.orders.orders).toBe(1);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('ends a default window at the current minute, so repeated default requests share an entry', async () => {
    const now = new Date('2026-05-05T10:20:30.456Z');
    const dashboard = await cache.dashboard(brandId, {}, now);
    expect(dashboard.range).toEqual({
      from: '2026-02-04T10:20:00.000Z',
      to: '2026-05-05T10:20:00.000Z',
    });
  });
});
