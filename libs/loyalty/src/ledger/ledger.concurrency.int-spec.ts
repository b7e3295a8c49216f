import type { TestingModule } from '@nestjs/testing';
import { and, eq, sql } from 'drizzle-orm';
import { ledgerEntries } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import {
  createLedgerTestingModule,
  seedBrand,
  seedMember,
} from '../../../../test/support/ledger-testing';
import { InsufficientPointsError } from './ledger.errors';
import { LedgerInvariants } from './ledger.invariants';
import { LedgerService } from './ledger.service';

/** Deterministic pseudo-random sizes (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('LedgerService under concurrency (Postgres, separate connections)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let ledger: LedgerService;
  let invariants: LedgerInvariants;
  let brandId: string;

  beforeAll(async () => {
    ctx = await createTestContext({ DB_POOL_MAX: '12' });
    moduleRef = await createLedgerTestingModule(ctx);
    ledger = moduleRef.get(LedgerService);
    invariants = moduleRef.get(LedgerInvariants);
    brandId = await seedBrand(moduleRef);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('100 concurrent spends of random sizes never overdraw one balance', async () => {
    const memberId = await seedMember(moduleRef, brandId);
    const day = 86_400_000;
    // 1,000 points over five lots with different expiries, so spends split lots FIFO.
    for (const [i, points] of [150, 250, 100, 300, 200].entries()) {
      await ledger.earn(brandId, memberId, {
        points,
        reason: 'purchase',
        source: 'order',
        actor: { type: 'system' },
        dedupeKey: `seed:${i}`,
        earnedAt: new Date(Date.now() - (i + 1) * 7 * day),
      });
    }
    const initial = (await ledger.balance(brandId, memberId)).balance;
    expect(initial).toBe(1000);

    const next = random(20261125);
    const sizes = Array.from({ length: 100 }, () => 1 + Math.floor(next() * 30));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(initial); // some must fail

    let sampling = true;
    const samples: number[] = [];
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await ctx.db.pool.query<{ balance: number }>(
          'select balance from member_balances where brand_id = $1 and member_id = $2',
          [brandId, memberId],
        );
        samples.push(rows[0].balance);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();

    const started = Date.now();
    const outcomes = await Promise.allSettled(
      sizes.map((points, i) =>
        ledger.spend(brandId, memberId, {
          points,
          reason: 'reward',
          source: 'redemption',
          actor: { type: 'member', id: memberId },
          dedupeKey: `spend:${i}`,
        }),
      ),
    );
    const elapsedMs = Date.now() - started;
    sampling = false;
    await sampler;

    const succeeded = sizes.filter((_, i) => outcomes[i].status === 'fulfilled');
    const failed = sizes.filter((_, i) => outcomes[i].status === 'rejected');
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toBeInstanceOf(InsufficientPointsError);
    }
    const final = await ledger.balance(brandId, memberId);
    const spent = succeeded.reduce((a, b) => a + b, 0);
    console.log(
      `100 concurrent spends: ${succeeded.length} ok (${spent} points), ${failed.length} refused, ` +
        `final balance ${final.balance}, ${elapsedMs} ms, ${samples.length} balance samples`,
    );
    expect(final.balance).toBeGreaterThanOrEqual(0);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(initial - final.balance).toBe(spent);
    expect(failed.length).toBeGreaterThan(0);
    // A refusal saw a balance smaller than its size; balances only fall, so the final one is too.
    for (const size of failed) expect(size).toBeGreaterThan(final.balance);
    const [count] = await ctx.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.brandId, brandId),
          eq(ledgerEntries.memberId, memberId),
          eq(ledgerEntries.kind, 'redeem'),
        ),
      );
    expect(count.n).toBe(succeeded.length);
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('20 concurrent earns with one dedupe key write one entry', async () => {
    const memberId = await seedMember(moduleRef, brandId);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        ledger.earn(brandId, memberId, {
          points: 42,
          reason: 'purchase',
          source: 'order',
          sourceId: 'order-same',
          actor: { type: 'storefront' },
          dedupeKey: 'order:same',
        }),
      ),
    );
    expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await ledger.balance(brandId, memberId)).toMatchObject({
      balance: 42,
      lifetimeEarned: 42,
    });
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('concurrent earns, spends and clawbacks on one member keep every invariant', async () => {
    const memberId = await seedMember(moduleRef, brandId);
    const order = await ledger.earn(brandId, memberId, {
      points: 200,
      reason: 'purchase',
      source: 'order',
      actor: { type: 'system' },
      dedupeKey: 'mixed:order',
    });
    const next = random(7);
    const work = Array.from({ length: 60 }, (_, i) => {
      const kind = i % 3;
      const points = 1 + Math.floor(next() * 25);
      if (kind === 0)
        return ledger.earn(brandId, memberId, {
          points,
          reason: 'purchase',
          source: 'order',
          actor: { type: 'system' },
          dedupeKey: `mixed:earn:${i}`,
        });
      if (kind === 1)
        return ledger.spend(brandId, memberId, {
          points,
          reason: 'reward',
          source: 'redemption',
          actor: { type: 'system' },
          dedupeKey: `mixed:spend:${i}`,
        });
      return ledger.clawback(brandId, memberId, {
        earnEntryId: order.entry.id,
        points,
        reason: 'refund',
        source: 'refund',
        actor: { type: 'system' },
        dedupeKey: `mixed:refund:${i}`,
      });
    });
    const outcomes = await Promise.allSettled(work);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toBeInstanceOf(InsufficientPointsError);
    }
    const { balance, debt } = await ledger.balance(brandId, memberId);
    expect(balance).toBeGreaterThanOrEqual(0);
    expect(debt).toBeGreaterThanOrEqual(0);
    expect(await invariants.check(brandId)).toEqual([]);
  });
});
