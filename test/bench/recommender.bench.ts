/**
 * Recommender benchmarks, in one run:
 * 1. dense kernels, TF.js vs typed arrays, on the backend in use;
 * 2. training time of the production blend (iALS + popularity) on the Complete Journey sample and
 *    on a synthetic 1M-interaction set (20k users × 10k items);
 * 3. serving: GET /v1/members/{id}/recommendations from the built recommender at 10k items
 *    (the synthetic model, members with order histories in Postgres) against a bare Fastify
 *    /health baseline and the recommender's own /health.
 * Knobs: BENCH_DURATION, BENCH_CONNECTIONS (harness), BENCH_ALS_ITERATIONS (default 5 for 1M),
 * BENCH_MEMBERS (default 2000 served members), BENCH_CPU_PROF (a folder: the recommender writes a
 * V8 CPU profile there on exit).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import {
  DEFAULT_RECOMMENDER_PARAMS,
  aggregateInteractions,
  chooseInverse,
  chooseKernels,
  fitEase,
  measureInverse,
  completeJourneyInteractions,
  initTfBackend,
  measureKernels,
  serializeModel,
  syntheticInteractions,
  trainRecommender,
} from '@app/ml';
import {
  BENCH_PASSWORD,
  CONNECTIONS,
  DURATION,
  OPERATOR_TOKEN,
  type Result,
  cpuSnapshot,
  cpuTable,
  measureGet,
  post,
  report,
  runBench,
  summarise,
  withBenchServers,
} from './harness';

const ALS_ITERATIONS = Number(process.env.BENCH_ALS_ITERATIONS ?? 5);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2000);
const ROOT = resolve(__dirname, '../..');

function trainTimed(
  name: string,
  data: ReturnType<typeof syntheticInteractions>,
  iterations: number,
) {
  const items = new Set(data.interactions.map((e) => e.item)).size;
  const params = {
    ...DEFAULT_RECOMMENDER_PARAMS,
    ials: { ...DEFAULT_RECOMMENDER_PARAMS.ials, iterations },
  };
  const kernels = chooseKernels(items, params.ials.factors);
  const started = performance.now();
  const trained = trainRecommender(data.interactions, data.categories, params, kernels);
  const ms = performance.now() - started;
  console.log(
    `| ${name} | ${data.interactions.length} | ${trained.matrix.users.length} × ${items} | ${params.ials.factors} | ${iterations} | ${(ms / 1000).toFixed(1)} s | ${(ms / iterations / 1000).toFixed(2)} s | gram ${kernels.gram}, score ${kernels.score} |`,
  );
  return trained;
}

async function startRecommender(
  databaseUrl: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = 3990 + Math.floor(Math.random() * 9);
  const child = fork(resolve(ROOT, 'dist/apps/recommender/src/main.js'), [], {
    cwd: ROOT,
    execArgv: process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      RECOMMENDER_PORT: String(port),
      REDIS_PREFIX: `bench_${process.pid}`,
      RATE_LIMIT_MAX: '1000000000',
      JWT_ACCESS_SECRET: 'bench-access-secret-0123456789abcdef0123',
      JWT_REFRESH_SECRET: 'bench-refresh-secret-0123456789abcdef012',
      OPERATOR_TOKEN,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, child };
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error('recommender did not come up');
    await new Promise((r) => setTimeout(r, 200));
  }
}

runBench(async () => {
  const backend = await initTfBackend((process.env.TF_BACKEND ?? 'auto') as 'auto');
  console.log(`\nTF.js backend: ${backend.backend}; node ${process.version}\n`);

  console.log('| kernel | shape | TF.js ms | typed arrays ms | faster |');
  console.log('|---|---|---:|---:|---|');
  for (const [n, k] of [
    [10_000, 32],
    [20_000, 32],
    [20_000, 64],
  ])
    for (const row of measureKernels(n, k))
      console.log(
        `| ${row.kernel} | ${row.shape} | ${row.tfMs.toFixed(2)} | ${row.typedMs.toFixed(2)} | ${row.faster} |`,
      );

  for (const size of [500, 1000, 2000]) {
    const row = measureInverse(size);
    console.log(
      `| EASE inverse (XᵀX + λI)⁻¹ | ${size}×${size} | ${row.tfMs.toFixed(2)} | ${row.typedMs.toFixed(2)} | ${row.faster} |`,
    );
  }

  console.log(
    '\n| training set | interactions | users × items | k | iterations | total | per iteration | kernels |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  trainTimed(
    'Complete Journey sample',
    completeJourneyInteractions(),
    DEFAULT_RECOMMENDER_PARAMS.ials.iterations,
  );
  {
    const cj = completeJourneyInteractions();
    const started = performance.now();
    const ease = fitEase(aggregateInteractions(cj.interactions, { halfLifeDays: 0 }));
    console.log(
      `| Complete Journey sample, EASE only (${ease.items.length} most-interacted items) | ${cj.interactions.length} | | | | ${((performance.now() - started) / 1000).toFixed(1)} s | | inverse ${chooseInverse(ease.items.length)} |`,
    );
  }
  const synthetic = syntheticInteractions(20_000, 10_000, 1_000_000);
  const model = trainTimed('synthetic 20k × 10k', synthetic, ALS_ITERATIONS).model;

  await withBenchServers(async ({ database, baselineUrl, apiUrl, createBrand }) => {
    const { brand } = await createBrand();
    const { accessToken } = await post<{ accessToken: string }>(`${apiUrl}/v1/auth/staff/login`, {
      brandSlug: 'bench',
      email: 'owner@bench.test',
      password: BENCH_PASSWORD,
    });
    const { key } = await post<{ key: string }>(
      `${apiUrl}/v1/api-keys`,
      { name: 'bench' },
      { authorization: `Bearer ${accessToken}` },
    );
    // Members with ~20 order lines each over the model's 10k items, straight into Postgres.
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    const { rows } = await pg.query<{ id: string }>(
      `insert into members (brand_id, email, referral_code)
       select $1, 'm' || g || '@bench.test', 'R' || lpad(g::text, 8, '0') from generate_series(1, $2) g
       returning id`,
      [brand.id, MEMBERS],
    );
    await pg.query(
      `with o as (
         insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel, placed_at)
         select $1, 'B-' || m.id || '-' || g, m.id, 'USD', 1000, 'online', now() - (g * interval '9 days')
           from members m cross join generate_series(1, 4) g where m.brand_id = $1
         returning id)
       insert into order_lines (brand_id, order_id, line_no, product_id, quantity, unit_price_minor, paid_minor)
       select $1, o.id, l, 'i' || floor(10000 * random() ^ 3)::int, 1, 200, 200
         from o cross join generate_series(1, 5) l`,
      [brand.id],
    );
    const artifact = serializeModel(model);
    await pg.query(
      `insert into model_versions (brand_id, kind, algorithm, status, artifact, artifact_bytes, backend, activated_at)
       values ($1, 'recommender', 'blend', 'active', $2, $3, $4, now())`,
      [brand.id, artifact, artifact.length, backend.backend],
    );
    await pg.end();
    console.log(
      `\nserved model: ${model.items.length} items, k = ${model.k}, artefact ${(artifact.length / 1e6).toFixed(1)} MB`,
    );

    const { url, child } = await startRecommender(database.url);
    try {
      const memberIds = rows.map((r) => r.id);
      let next = 0;
      const coldPath = async () => {
        // Cold path: the first request of each member loads their history (3 queries) and folds in.
        const started = performance.now();
        for (let i = 0; i < memberIds.length; i += CONNECTIONS)
          await Promise.all(
            memberIds.slice(i, i + CONNECTIONS).map(async (id) => {
              const res = await fetch(`${url}/v1/members/${id}/recommendations?limit=10`, {
                headers: { 'x-api-key': key },
              });
              if (!res.ok) throw new Error(`warm-up ${res.status}`);
            }),
          );
        const coldMs = performance.now() - started;
        console.log(
          `\ncold path: ${memberIds.length} members' first requests in ${(coldMs / 1000).toFixed(1)} s (${Math.round((memberIds.length / coldMs) * 1000)} req/s)`,
        );
      };
      const recommendations = async (rate?: number): Promise<Result> => {
        const options = {
          ...(rate ? { overallRate: rate } : {}),
          url,
          connections: CONNECTIONS,
          headers: { 'x-api-key': key },
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                path: `/v1/members/${memberIds[next++ % memberIds.length]}/recommendations?limit=10`,
              }),
            },
          ],
        };
        if (!rate) await autocannon({ ...options, duration: 2 }); // JIT warm-up
        const name = `recommender GET /v1/members/{id}/recommendations (${model.items.length} items, ${MEMBERS} members${rate ? `, offered ${rate} req/s` : ', max rate'})`;
        const before = cpuSnapshot(child.pid, database.name);
        const result = await autocannon({ ...options, duration: DURATION });
        const after = cpuSnapshot(child.pid, database.name);
        // CPU per request and the load: figures that survive a machine shared with other work.
        console.log(
          `\n${name}\n${cpuTable(before, after, result.requests.total, 'request').replace('api process', 'recommender process')}\nload average (1/5/15 min): ${loadavg()
            .map((l) => l.toFixed(2))
            .join(' / ')}`,
        );
        return summarise(name, result);
      };
      const results = [
        await measureGet('fastify bare /health (baseline)', `${baselineUrl}/health`),
        await measureGet('recommender /health', `${url}/health`),
        // The same offered rate against bare Fastify: the machine's own tail at 1,000 req/s.
        summarise(
          'fastify bare /health, offered 1000 req/s (baseline)',
          await autocannon({
            url: `${baselineUrl}/health`,
            connections: CONNECTIONS,
            overallRate: 1000,
            duration: DURATION,
          }),
        ),
        await coldPath().then(() => recommendations()),
        // The target: p99 at 1,000 req/s offered (not at saturation, where latency is queueing).
        await recommendations(1000),
      ];
      report(`Recommender serving (${CONNECTIONS} connections, ${DURATION} s)`, results);
    } finally {
      child.kill('SIGINT');
    }
  });
});
