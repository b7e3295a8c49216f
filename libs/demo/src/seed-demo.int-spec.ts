import { PasswordHasher } from '@app/identity';
import { createTestContext, type TestContext } from '@app/testing';
import { type DemoDataset, loadDemoDataset } from './completejourney';
import { DEMO_MEMBER_PASSWORD, DEMO_STAFF, seedDemo, type SeedDemoResult } from './seed-demo';

// The first seed (75k lines) takes several seconds on a busy 2-core machine: leave headroom.
jest.setTimeout(60_000);

describe('seedDemo', () => {
  let ctx: TestContext;
  let dataset: DemoDataset;
  let first: SeedDemoResult;
  const lines: string[] = [];

  beforeAll(async () => {
    ctx = await createTestContext();
    dataset = loadDemoDataset();
    first = await seedDemo({
      db: ctx.db,
      config: ctx.config,
      log: (line) => lines.push(line),
      dataset,
    });
  });
  afterAll(() => ctx.close());

  const query = async <T extends object>(text: string, params: unknown[] = []): Promise<T[]> =>
    (await ctx.db.pool.query<T>(text, params)).rows;

  it('creates the demo brand, staff, one member per household, products and one order per basket', () => {
    expect(first.brandSlug).toBe('demo');
    expect(first.totals).toEqual({
      brands: 1,
      staff: 3,
      members: 2_377,
      products: 20_902,
      orders: 47_243,
      orderLines: 75_000,
    });
    expect(first.created).toEqual(first.totals);
  });

  it('keeps money in integers and every order total equal to the sum of its lines', async () => {
    const [check] = await query<{
      mismatched: number;
      lineless: number;
      total: string;
      lines: string;
    }>(
      `select
         (select count(*)::int from orders o
           where o.brand_id = $1
             and o.paid_total_minor <> (select coalesce(sum(l.paid_minor), -1) from order_lines l
                                         where l.brand_id = o.brand_id and l.order_id = o.id)) as mismatched,
         (select count(*)::int from orders o where o.brand_id = $1
             and not exists (select 1 from order_lines l where l.brand_id = o.brand_id and l.order_id = o.id)) as lineless,
         (select sum(paid_total_minor)::text from orders where brand_id = $1) as total,
         (select sum(paid_minor)::text from order_lines where brand_id = $1) as lines`,
      [first.brandId],
    );
    expect(check).toEqual({ mismatched: 0, lineless: 0, total: '23393524', lines: '23393524' });
    const sample = await query<{
      paid_total_minor: unknown;
      paid_minor: unknown;
      unit_price_minor: unknown;
    }>(
      `select o.paid_total_minor, l.paid_minor, l.unit_price_minor
         from orders o join order_lines l on l.brand_id = o.brand_id and l.order_id = o.id
        where o.brand_id = $1 limit 500`,
      [first.brandId],
    );
    for (const row of sample) {
      for (const value of Object.values(row))
        expect(Number.isSafeInteger(Number(value))).toBe(true);
    }
  });

  it('maps a basket faithfully (offline, store, time, member, cents)', async () => {
    const basket = dataset.orders.find((o) => o.lines.length >= 3) as DemoDataset['orders'][number];
    const [order] = await query<{
      channel: string;
      store_id: string;
      placed_at: Date;
      currency: string;
      paid_total_minor: string;
      household: string;
    }>(
      `select o.channel, o.store_id, o.placed_at, o.currency, o.paid_total_minor::text, m.external_id as household
         from orders o join members m on m.brand_id = o.brand_id and m.id = o.member_id
        where o.brand_id = $1 and o.external_id = $2`,
      [first.brandId, basket.externalId],
    );
    expect(order).toEqual({
      channel: 'offline',
      store_id: basket.storeId,
      placed_at: basket.placedAt,
      currency: 'USD',
      paid_total_minor: String(basket.paidTotalMinor),
      household: basket.householdId,
    });
  });

  it('hashes the demo passwords so staff and a few members can sign in', async () => {
    const hasher = new PasswordHasher(ctx.config.auth.scryptCost);
    const staff = await query<{ email: string; role: string; password_hash: string }>(
      'select email, role, password_hash from staff_users where brand_id = $1 order by email',
      [first.brandId],
    );
    expect(staff.map((s) => s.role).sort()).toEqual(['marketer', 'moderator', 'owner']);
    for (const s of staff) {
      const demo = DEMO_STAFF.find((d) => d.email === s.email);
      expect(await hasher.verify(demo?.password ?? '', s.password_hash)).toBe(true);
    }
    const members = await query<{ email: string; password_hash: string }>(
      'select email, password_hash from members where brand_id = $1 and password_hash is not null',
      [first.brandId],
    );
    expect(members.map((m) => m.email).sort()).toEqual([
      'member1@demo.example',
      'member2@demo.example',
      'member3@demo.example',
    ]);
    expect(await hasher.verify(DEMO_MEMBER_PASSWORD, members[0].password_hash)).toBe(true);
    expect(first.credentials).toHaveLength(6);
    expect(lines.join('\n')).toContain('owner@demo.example');
    expect(lines.join('\n')).toContain(DEMO_MEMBER_PASSWORD);
  });

  it('is idempotent: a re-run inserts nothing and leaves the same counts, with no duplicates', async () => {
    const again = await seedDemo({ db: ctx.db, config: ctx.config, dataset });
    expect(again.brandId).toBe(first.brandId);
    expect(again.totals).toEqual(first.totals);
    expect(again.created).toEqual({
      brands: 0,
      staff: 0,
      members: 0,
      products: 0,
      orders: 0,
      orderLines: 0,
    });
    const [dupes] = await query<Record<string, number>>(
      `select
         (select count(*)::int from brands where slug = 'demo') as brands,
         (select count(*) - count(distinct external_id) from members where brand_id = $1)::int as members,
         (select count(*) - count(distinct external_id) from orders where brand_id = $1)::int as orders,
         (select count(*) - count(distinct (order_id, product_id)) from order_lines where brand_id = $1)::int as lines`,
      [first.brandId],
    );
    expect(dupes).toEqual({ brands: 1, members: 0, orders: 0, lines: 0 });
  });

  it('restores exactly what is missing after a partial loss', async () => {
    await ctx.db.pool.query(
      `delete from orders where brand_id = $1 and external_id in
         (select external_id from orders where brand_id = $1 order by external_id limit 10)`,
      [first.brandId],
    );
    const repaired = await seedDemo({ db: ctx.db, config: ctx.config, dataset });
    expect(repaired.created.orders).toBe(10);
    expect(repaired.created.orderLines).toBeGreaterThanOrEqual(10);
    expect(repaired.totals).toEqual(first.totals);
  });
});
