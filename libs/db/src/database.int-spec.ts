import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '@app/testing';
import { brands } from './schema';

describe('DatabaseClient', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('runs against a migrated, isolated database', async () => {
    const { rows } = await ctx.db.pool.query<{ db: string }>('select current_database() as db');
    expect(rows[0].db).toBe(ctx.database.name);
    const [{ count }] = await ctx.db.db.select({ count: sql<number>`count(*)::int` }).from(brands);
    expect(count).toBe(0);
  });

  it('commits a transaction that resolves', async () => {
    await ctx.db.transaction((tx) => tx.insert(brands).values({ slug: 'committed', name: 'C' }));
    const rows = await ctx.db.db
      .select()
      .from(brands)
      .where(sql`${brands.slug} = 'committed'`);
    expect(rows).toHaveLength(1);
  });

  it('rolls back every write of a transaction that throws', async () => {
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.insert(brands).values({ slug: 'rolled-back', name: 'R' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await ctx.db.db
      .select()
      .from(brands)
      .where(sql`${brands.slug} = 'rolled-back'`);
    expect(rows).toHaveLength(0);
  });

  it('joins an outer transaction instead of nesting a new one', async () => {
    await expect(
      ctx.db.transaction(async (outer) => {
        await ctx.db.transaction(
          (inner) => inner.insert(brands).values({ slug: 'joined', name: 'J' }),
          outer,
        );
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    const rows = await ctx.db.db
      .select()
      .from(brands)
      .where(sql`${brands.slug} = 'joined'`);
    expect(rows).toHaveLength(0);
  });
});
