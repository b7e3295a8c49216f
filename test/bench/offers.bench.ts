/**
 * Offers and segments benchmark (npm run bench:offers), in a throwaway database:
 * 1. trigger evaluation: `review.approved` events through OfferEngine.handleEvent (audience check,
 *    assignment, occurrence row, caps, budget reservation, points reward, outbox message), a
 *    redelivery of the same stream (duplicates), against a baseline of one bare idempotent INSERT
 *    per event in its own transaction at the same concurrency;
 * 2. a full segment recompute for BENCH_MEMBERS members (default 1,000,000; ~2 orders each,
 *    generated set-based), against a baseline of the bare per-member order aggregation over the
 *    same rows.
 * Knobs: BENCH_EVENTS (default 2000), BENCH_CONCURRENCY (4), BENCH_MEMBERS.
 */
import { loadavg } from 'node:os';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { BrandsService, MembersService } from '@app/identity';
import { CampaignsService, OfferEngine, OffersModule } from '@app/offers';
import { OutboxModule } from '@app/outbox';
import { SegmentsService } from '@app/segments';
import { createTestContext } from '../support/test-database';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

async function lanes<T>(items: T[], run: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await run(items[next++]);
    }),
  );
}

async function main(): Promise<void> {
  const ctx = await createTestContext({ LOG_LEVEL: 'warn' });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(ctx.config), DbModule, OutboxModule, OffersModule],
  }).compile();
  await moduleRef.init();
  const pool = ctx.db.pool;
  const rows: string[][] = [];
  try {
    // --- 1. trigger evaluation ---
    const brand = await moduleRef.get(BrandsService).createBrandWithOwner({
      slug: 'bench-offers',
      name: 'Bench offers',
      owner: { email: 'owner@bench.test', displayName: 'Owner', password: 'bench-password-1' },
    });
    const brandId = brand.brand.id;
    const members = moduleRef.get(MembersService);
    const memberIds: string[] = [];
    for (let i = 0; i < EVENTS; i += 1)
      memberIds.push(
        (
          await members.register(brandId, {
            email: `m${i}@bench.test`,
            firstName: 'B',
            password: 'bench-password-1',
          })
        ).id,
      );
    const campaigns = moduleRef.get(CampaignsService);
    const campaign = await campaigns.launch(
      brandId,
      (
        await campaigns.create(brandId, {
          name: 'bench',
          trigger: { type: 'review_approved' },
          audience: {},
          reward: { type: 'points', points: 10 },
          caps: { budgetPoints: 1_000_000_000, perMember: { max: 5, days: 1 } },
          holdoutBp: 1000,
        })
      ).id,
    );
    const engine = moduleRef.get(OfferEngine);
    const events = memberIds.map((memberId, i) => ({ memberId, reviewId: `r${i}` }));
    const baseline = await timed(() =>
      lanes(events, (e) =>
        pool.query(
          `insert into offers (brand_id, campaign_id, member_id, occurrence_key, arm, status)
           values ($1, $2, $3, $4, 'treatment', 'issued') on conflict do nothing`,
          [brandId, '00000000-0000-0000-0000-000000000001', e.memberId, `baseline:${e.reviewId}`],
        ),
      ),
    );
    const first = await timed(() =>
      lanes(events, (e) => engine.handleEvent(brandId, 'review.approved', e)),
    );
    const replay = await timed(() =>
      lanes(events, (e) => engine.handleEvent(brandId, 'review.approved', e)),
    );
    const { rows: issued } = await pool.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from offers where campaign_id = $1 group by status',
      [campaign.id],
    );
    const rate = (ms: number) => Math.round((EVENTS / ms) * 1000);
    rows.push(
      [
        'baseline: bare idempotent INSERT per event',
        `${rate(baseline.ms)} events/s`,
        `${baseline.ms.toFixed(0)} ms`,
      ],
      [
        'trigger evaluation (first delivery)',
        `${rate(first.ms)} events/s`,
        `${first.ms.toFixed(0)} ms`,
      ],
      [
        'trigger evaluation (redelivery → duplicates)',
        `${rate(replay.ms)} events/s`,
        `${replay.ms.toFixed(0)} ms`,
      ],
    );
    console.log(`offers by status: ${issued.map((r) => `${r.status}=${r.n}`).join(', ')}`);

    // --- 2. full segment recompute ---
    const big = await moduleRef.get(BrandsService).createBrandWithOwner({
      slug: 'bench-segments',
      name: 'Bench segments',
      owner: { email: 'owner@bench-seg.test', displayName: 'Owner', password: 'bench-password-1' },
    });
    const bigId = big.brand.id;
    const gen = await timed(async () => {
      await pool.query(
        `insert into members (brand_id, referral_code, created_at)
         select $1, 'B' || g, now() - make_interval(days => 30 + g % 700) from generate_series(1, $2) g`,
        [bigId, MEMBERS],
      );
      await pool.query(
        `insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel, placed_at)
         select $1, m.referral_code || '-' || k, m.id, 'USD', 1000 + abs(hashtext(m.referral_code || k)) % 9000, 'online',
                now() - make_interval(days => abs(hashtext(k || m.referral_code)) % 600)
           from members m
           cross join lateral generate_series(1, abs(hashtext(m.id::text)) % 5) k
          where m.brand_id = $1`,
        [bigId],
      );
      await pool.query('analyze members; analyze orders');
      return (
        await pool.query<{ n: number }>(
          'select count(*)::int as n from orders where brand_id = $1',
          [bigId],
        )
      ).rows[0].n;
    });
    console.log(
      `generated ${MEMBERS} members, ${gen.result} orders in ${(gen.ms / 1000).toFixed(1)} s`,
    );
    const aggregate = await timed(() =>
      pool.query(
        `select member_id, count(*), sum(paid_total_minor - refunded_total_minor), min(placed_at), max(placed_at)
           from orders where brand_id = $1 group by member_id`,
        [bigId],
      ),
    );
    const segments = moduleRef.get(SegmentsService);
    const full = await timed(() => segments.recomputeBrand(bigId));
    const again = await timed(() => segments.recomputeBrand(bigId));
    rows.push(
      [
        `baseline: per-member order aggregate (${MEMBERS} members)`,
        '',
        `${(aggregate.ms / 1000).toFixed(1)} s`,
      ],
      [
        `full segment recompute, first run (${full.result.written} rows written)`,
        '',
        `${(full.ms / 1000).toFixed(1)} s`,
      ],
      [
        `full segment recompute, re-run (${again.result.written} rows changed)`,
        '',
        `${(again.ms / 1000).toFixed(1)} s`,
      ],
    );
  } finally {
    await moduleRef.close();
    await ctx.close();
  }
  console.log(
    `\nload average (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
  console.log('| measurement | throughput | time |\n| --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
