/**
 * Dashboard analytics at scale: 100k members and 1M orders (plus ledger, lots, coupons, rewards,
 * segments, predictions, campaigns and offers, community and drops) generated with set-based SQL
 * in a throwaway database; the rollups built by the job's code (ADR 0021), then the dashboard
 * timed all live and from the rollups against a baseline query in the same run (a bare count of
 * the window's orders), and GET /v1/analytics/dashboard measured over HTTP (cache misses one at a
 * time: p50/p99 and CPU per request; cache hits under load) against bare Fastify. Knobs:
 * BENCH_ORDERS, BENCH_MEMBERS, BENCH_REPEAT (runs per query), BENCH_COLD (cache-miss requests),
 * BENCH_DURATION (s), BENCH_DASHBOARD_CONNECTIONS, and those in harness.ts.
 */
import autocannon from 'autocannon';
import { Client } from 'pg';
import {
  AnalyticsRepository,
  AnalyticsRollupRepository,
  AnalyticsRollupService,
  AnalyticsService,
  splitWindow,
  unionPeriods,
  wholeMonths,
} from '@app/analytics';
import { DatabaseClient } from '@app/db';
import {
  BENCH_PASSWORD,
  DURATION,
  cpuSnapshot,
  type Result,
  post,
  report,
  runBench,
  summarise,
  withBenchServers,
} from './harness';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const COLD = Number(process.env.BENCH_COLD ?? 40);
const DASHBOARD_CONNECTIONS = Number(process.env.BENCH_DASHBOARD_CONNECTIONS ?? 4);

const DAY = 86_400_000;

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Runs `work` REPEAT times after one warm-up; returns [median, max] in ms. */
async function sample(work: () => Promise<unknown>): Promise<[number, number]> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i += 1) times.push(await timed(work));
  times.sort((a, b) => a - b);
  return [times[Math.floor(times.length / 2)], times[times.length - 1]];
}

/** Two years of history for one brand, written by Postgres itself (no row crosses the wire). */
async function generate(pg: Client, brandId: string): Promise<void> {
  const step = async (label: string, text: string, params: unknown[] = []) => {
    const ms = await timed(() => pg.query(text, params));
    console.log(`  ${label}: ${(ms / 1000).toFixed(1)} s`);
  };
  console.log(`generating ${MEMBERS} members and ${ORDERS} orders…`);
  await step(
    'members',
    `insert into members (brand_id, id, email, referral_code, created_at)
     select $1, md5('m' || g)::uuid, 'm' || g || '@bench.test', 'R' || lpad(g::text, 8, '0'),
            now() - interval '800 days'
       from generate_series(0, $2 - 1) g`,
    [brandId, MEMBERS],
  );
  // Members are skewed (square of a uniform) so some buy often and many rarely: repurchase exists.
  await step(
    'orders',
    `insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel, status,
                         refunded_total_minor, points_awarded, placed_at, created_at)
     select $1, 'o' || g, md5('m' || floor(power(random(), 2) * $3)::int)::uuid, 'USD',
            500 + floor(random() * 9500)::int, 'online',
            case when g % 50 = 0 then 'refunded'::order_status else 'paid'::order_status end,
            case when g % 50 = 0 then 1000 else 0 end, 10, at, at
       from (select g, now() - random() * interval '730 days' as at from generate_series(1, $2) g) s
      -- Orders arrive in time order: the heap is clustered by placed_at as in production.
      order by at`,
    [brandId, ORDERS, MEMBERS],
  );
  await step(
    'ledger entries (earn per order, redeem and expire)',
    `insert into ledger_entries (brand_id, member_id, kind, amount, reason, source, actor_type, dedupe_key, created_at)
     select brand_id, member_id, 'earn'::ledger_kind, 10 + (paid_total_minor / 100)::int, 'purchase', 'order'::ledger_source, 'system', 'e' || id, placed_at
       from orders where brand_id = $1
     union all
     select $1, md5('m' || (g % $2))::uuid, case when g % 3 = 0 then 'expire'::ledger_kind else 'redeem'::ledger_kind end,
            -50, 'bench', 'system'::ledger_source, 'system', 'd' || g, now() - random() * interval '730 days'
       from generate_series(1, $3) g`,
    [brandId, MEMBERS, Math.round(ORDERS / 5)],
  );
  await step(
    'point lots (open)',
    `insert into point_lots (brand_id, member_id, earn_entry_id, points, remaining, earned_at, available_at, expires_at)
     select $1, md5('m' || g)::uuid, gen_random_uuid(), 500, 250, now() - interval '30 days',
            now() - interval '30 days', now() + (g % 365) * interval '1 day'
       from generate_series(0, $2 - 1) g`,
    [brandId, MEMBERS],
  );
  await step(
    'rewards, redemptions, coupons',
    `with r as (insert into rewards (brand_id, type, name, cost_points)
                select $1, 'product', 'Reward ' || g, 100 * g from generate_series(1, 10) g returning id),
          t as (insert into coupon_templates (brand_id, name, kind, value) values ($1, 'Five off', 'amount_off', 500) returning id),
          x as (insert into reward_redemptions (brand_id, reward_id, member_id, points, idempotency_key, created_at)
                select $1, (select id from r order by id offset (g % 10) limit 1), md5('m' || (g % $2))::uuid, 100,
                       'k' || g, now() - random() * interval '730 days'
                  from generate_series(1, $3) g)
     insert into coupons (brand_id, template_id, code, member_id, status, source, issued_at, redeemed_at, discount_minor)
     select $1, (select id from t), 'C' || g, md5('m' || (g % $2))::uuid,
            case when g % 3 = 0 then 'redeemed'::coupon_status else 'issued'::coupon_status end, 'campaign',
            now() - (g % 700) * interval '1 day',
            case when g % 3 = 0 then now() - (g % 700) * interval '1 day' + interval '2 days' end,
            case when g % 3 = 0 then 500 end
       from generate_series(1, $4) g`,
    [brandId, MEMBERS, Math.round(ORDERS / 50), Math.round(ORDERS / 10)],
  );
  await step(
    'segments and predictions',
    `with s as (insert into member_segments (brand_id, member_id, rfm_r, rfm_f, rfm_m, lifecycle, value_tier, persona)
                select $1, md5('m' || g)::uuid, 1 + g % 5, 1 + g % 5, 1 + g % 5,
                       (array['new','active','at_risk','dormant','churned'])[1 + g % 5]::lifecycle_stage, 'mid', 'unknown'
                  from generate_series(0, $2 - 1) g)
     insert into member_predictions (brand_id, member_id, algorithm, p7, p14, p28, p_alive, expected_purchases_12m, clv_12m_minor)
     select $1, md5('m' || g)::uuid, 'bgnbd', 0.1, 0.2, 0.3, random(), 2, random() * 20000
       from generate_series(0, $2 - 1) g`,
    [brandId, MEMBERS],
  );
  await step(
    'campaigns and offers',
    `with c as (insert into campaigns (brand_id, name, status, trigger, reward, seed)
                select $1, 'Campaign ' || g, 'active', '{}', '{}', 's' || g from generate_series(1, 5) g returning id)
     insert into offers (brand_id, campaign_id, member_id, occurrence_key, arm, status, issued_at)
     select $1, (select id from c order by id offset (g % 5) limit 1), md5('m' || (g % $2))::uuid, 'o' || g,
            case when g % 10 = 0 then 'holdout'::campaign_arm else 'treatment'::campaign_arm end,
            case when g % 10 = 0 then 'held_out'::offer_status else 'delivered'::offer_status end,
            now() - random() * interval '730 days'
       from generate_series(1, $3) g`,
    [brandId, MEMBERS, Math.round(ORDERS / 20)],
  );
  await step(
    'community, reviews, drops',
    `with c as (insert into communities (brand_id, slug, name) values ($1, 'bench', 'Bench') returning id),
          p as (insert into posts (brand_id, community_id, author_id, body, text_hash, created_at)
                select $1, (select id from c), md5('m' || (g % $2))::uuid, 'post', 'h', now() - random() * interval '730 days'
                  from generate_series(1, $3) g),
          r as (insert into reviews (brand_id, member_id, order_id, line_no, product_id, rating, body, text_hash, created_at)
                select brand_id, member_id, id, 1, 'P1', 5, 'good', 'h', placed_at + interval '3 days'
                  from orders where brand_id = $1 and external_id like '%7'),
          d as (insert into drops (brand_id, title, status, starts_at, ends_at, peak_viewers)
                select $1, 'Drop ' || g, 'ended', now() - g * interval '20 days', now() - g * interval '20 days' + interval '1 hour', 1000
                  from generate_series(1, 30) g returning id)
     insert into drop_skus (brand_id, drop_id, id, product_id, name, price_minor, stock, sold)
     select $1, d.id, 'S' || g, 'P' || g, 'Sku', 5000, 100, 80 from d, generate_series(1, 3) g`,
    [brandId, MEMBERS, Math.round(ORDERS / 50)],
  );
  // Autovacuum's steady state: visibility map set (index-only scans), statistics fresh.
  await step('vacuum analyze', 'vacuum analyze');
}

runBench(() =>
  withBenchServers(async ({ database, baselineUrl, apiUrl, api, createBrand }) => {
    const { brand } = await createBrand();
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    try {
      await generate(pg, brand.id);
    } finally {
      await pg.end();
    }

    const db = new DatabaseClient({ connectionString: database.url, max: 4 });
    const repo = new AnalyticsRepository(db);
    const rollupRepo = new AnalyticsRollupRepository(db);
    const rollups = new AnalyticsRollupService(db, rollupRepo);
    const service = new AnalyticsService(repo, rollupRepo);
    const now = new Date();

    // The job's first run (two years of history), then a routine run (recent days + late changes).
    const build = await timed(() => rollups.refreshBrand(brand.id, { now }));
    const pgStats = new Client({ connectionString: database.url });
    await pgStats.connect();
    await pgStats.query('vacuum analyze');
    const size = await pgStats.query<{ table: string; rows: string; size: string }>(
      `select relname as table, n_live_tup::text as rows, pg_size_pretty(pg_total_relation_size(relid)) as size
         from pg_stat_user_tables where relname like 'analytics_%' order by relname`,
    );
    await pgStats.end();
    const [refresh] = await sample(() => rollups.refreshBrand(brand.id, { now }));
    console.log(
      `\nrollups: first build ${(build / 1000).toFixed(1)} s, routine refresh median ${refresh.toFixed(0)} ms`,
    );
    for (const row of size.rows) console.log(`  ${row.table}: ${row.rows} rows, ${row.size}`);

    const windows = [
      { name: '90 days', range: { from: new Date(now.getTime() - 90 * DAY), to: now } },
      { name: '365 days', range: { from: new Date(now.getTime() - 365 * DAY), to: now } },
    ];
    const rows: string[] = [];
    for (const { name, range } of windows) {
      const b = brand.id;
      const state = await rollupRepo.state(b);
      const through = state!.throughDay;
      const rolled = splitWindow(range, through).rolled!;
      const queries: [string, () => Promise<unknown>][] = [
        [
          'baseline: count(*) of the window’s orders',
          () =>
            db.pool.query(
              'select count(*) from orders where brand_id = $1 and placed_at >= $2 and placed_at < $3',
              [b, range.from, range.to],
            ),
        ],
        [
          '**whole dashboard, all live** (before)',
          () => service.dashboard(b, range, now, { live: true }),
        ],
        ['**whole dashboard, rollups + live slices**', () => service.dashboard(b, range, now)],
        [
          'rollups: daily rows + member bitmaps (whole months + days) + their union',
          () =>
            Promise.all([
              rollupRepo.daily(b, rolled.from, rolled.to),
              rollupRepo
                .memberDays(b, rolled.from, rolled.to, wholeMonths(rolled.from, rolled.to))
                .then(unionPeriods),
            ]),
        ],
        [
          'rollups: cohorts (first orders + today live)',
          () => rollupRepo.cohorts(b, range, new Date(`${through}T00:00:00Z`)),
        ],
        [
          'live slices: today so far',
          () =>
            Promise.all([
              rollupRepo.liveSums(b, { from: new Date(`${through}T00:00:00Z`), to: now }),
              rollupRepo.liveMembers(b, { from: new Date(`${through}T00:00:00Z`), to: now }),
            ]),
        ],
        ['still live: campaignArms', () => repo.campaignArms(b, range)],
        ['still live: couponUsage', () => repo.couponUsage(b, range)],
        ['still live: liability', () => repo.liability(b, now)],
        [
          'still live: lifecycle + clv + memberCount',
          () => Promise.all([repo.lifecycle(b), repo.clv(b), repo.memberCount(b)]),
        ],
      ];
      let baseline = 0;
      for (const [label, work] of queries) {
        const [median, max] = await sample(work);
        if (!baseline) baseline = median;
        rows.push(
          `| ${name} | ${label} | ${median.toFixed(1)} | ${max.toFixed(1)} | ×${(median / baseline).toFixed(1)} |`,
        );
      }
    }
    await db.close();
    console.log(
      `\nAnalytics queries, ${ORDERS} orders / ${MEMBERS} members, ${REPEAT} runs each after a warm-up\n`,
    );
    console.log('| window | query | median ms | max ms | vs baseline |');
    console.log('|---|---|---:|---:|---:|');
    for (const row of rows) console.log(row);

    const { accessToken } = await post<{ accessToken: string }>(`${apiUrl}/v1/auth/staff/login`, {
      brandSlug: 'bench',
      email: 'owner@bench.test',
      password: BENCH_PASSWORD,
    });
    const auth = { authorization: `Bearer ${accessToken}` };
    // Cache misses: each request its own window (one minute apart), one at a time, so the figures
    // are the full cost of a miss; CPU of the api and of PostgreSQL (the bench database's backends)
    // per request alongside.
    for (const days of [90, 365]) {
      const cold: number[] = [];
      let before = cpuSnapshot(api.pid, database.name);
      // One uncounted miss first: the api's pool opens its PostgreSQL connections on first use.
      for (let i = -1; i < COLD; i += 1) {
        if (i === 0) before = cpuSnapshot(api.pid, database.name);
        const to = new Date(Math.floor(Date.now() / 60_000) * 60_000 - (i + 2) * 60_000);
        const from = new Date(to.getTime() - days * DAY);
        const url = `${apiUrl}/v1/analytics/dashboard?from=${from.toISOString()}&to=${to.toISOString()}`;
        const ms = await timed(async () => {
          const res = await fetch(url, { headers: auth });
          if (!res.ok) throw new Error(`dashboard → ${res.status}`);
          await res.arrayBuffer();
        });
        if (i >= 0) cold.push(ms);
      }
      const after = cpuSnapshot(api.pid, database.name);
      cold.sort((a, b) => a - b);
      const pct = (p: number) => cold[Math.min(cold.length - 1, Math.ceil(p * cold.length) - 1)];
      const cpu = (name: string) => (((after[name] - before[name]) * 1000) / COLD).toFixed(1);
      console.log(
        `\nGET /v1/analytics/dashboard, cache miss (${days} days, ${COLD} distinct windows, sequential): ` +
          `p50 ${pct(0.5).toFixed(0)} ms, p99 ${pct(0.99).toFixed(0)} ms, max ${cold[cold.length - 1].toFixed(0)} ms; ` +
          `CPU per request: api ${cpu('api')} ms, postgres ${cpu('postgres')} ms`,
      );
    }
    const http: Result[] = [];
    for (const [name, url, headers] of [
      ['bare Fastify /health (baseline)', `${baselineUrl}/health`, {}],
      [
        'GET /v1/analytics/dashboard (default 90 days, from the 60 s cache)',
        `${apiUrl}/v1/analytics/dashboard`,
        auth,
      ],
    ] as const) {
      await autocannon({ url, headers, connections: DASHBOARD_CONNECTIONS, duration: 2 });
      http.push(
        summarise(
          name,
          await autocannon({
            url,
            headers,
            connections: DASHBOARD_CONNECTIONS,
            duration: DURATION,
          }),
        ),
      );
    }
    report(`Dashboard over HTTP, ${DASHBOARD_CONNECTIONS} connections, ${DURATION} s`, http, 2);
  }),
);
