/**
 * Recommender benchmarks, in one run:
 * 1. dense kernels, TF.js vs typed arrays, on the backend in use;
 * 2. training time of the production blend (iALS + popularity) on the Complete Journey sample and
 *    on a synthetic 1M-interaction set (20k users × 10k items);
 * 3. serving: GET /v1/members/{id}/recommendations from the built recommender at 10k items
 *    (the synthetic model, members with order histories in Postgres) against a bare Fastify
 *    /health baseline and the recommender's own /health.
 * The serving load runs in a child process of its own (argv `load`): this process holds the
 * training data and models (hundreds of MB), and its GC pauses would show up as server latency.
 * Knobs: BENCH_DURATION, BENCH_CONNECTIONS (harness), BENCH_ALS_ITERATIONS (default 5 for 1M),
 * BENCH_MEMBERS (default 2000 served members), BENCH_CPU_PROF (a folder: the recommender writes a
 * V8 CPU profile there on exit), BENCH_SERVING_ONLY=1 (skip the kernel and Complete Journey
 * timings: only train the served model and measure serving), BENCH_RECOMMENDER_NODE_ARGS (extra
 * node flags for the recommender, space-separated, e.g. `--trace-gc`), BENCH_PROBE=1 (preload
 * recommender-probe.ts into the recommender: GC pauses, loop stalls and queries per measured run),
 * BENCH_PACED_ROUNDS (default 1: rounds of the 1,000 req/s pair — bare Fastify, then the
 * recommender — run back to back, so a noisy stretch of the shared machine hits both),
 * BENCH_COMPARE_MAIN / BENCH_COMPARE_NODE_ARGS (a second recommender measured in the same rounds),
 * BENCH_PACED_WARMUP (default 2: seconds of each paced run at the same rate before the measured
 * BENCH_DURATION, not recorded — steady state, not the transition from the previous run; 0
 * records from the first request, as runs before 2026-12-08 did).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { type PacedResult, pacedLoad } from './paced-load';
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
const PACED_WARMUP = Number(process.env.BENCH_PACED_WARMUP ?? 2);
const PACED_ROUNDS = Number(process.env.BENCH_PACED_ROUNDS ?? 1);
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

let nextPort = 3990 + Math.floor(Math.random() * 8) * 2;

interface Recommender {
  url: string;
  child: ChildProcess;
  /** Appended to the names of its rows ('' for this build). */
  label: string;
}

async function startRecommender(
  databaseUrl: string,
  main = resolve(ROOT, 'dist/apps/recommender/src/main.js'),
  label = '',
  nodeArgs = process.env.BENCH_RECOMMENDER_NODE_ARGS ?? '',
): Promise<Recommender> {
  const port = nextPort++;
  const child = fork(main, [], {
    cwd: ROOT,
    execArgv: [
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
      ...(process.env.BENCH_PROBE
        ? ['-r', '@swc-node/register', '-r', resolve(__dirname, 'recommender-probe.ts')]
        : []),
      ...nodeArgs.split(' ').filter(Boolean),
    ],
    // stdout is kept only when node flags are given (--trace-gc writes there).
    stdio: ['ignore', nodeArgs ? 'inherit' : 'ignore', 'inherit', 'ipc'],
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
      if ((await fetch(`${url}/health`)).ok) return { url, child, label };
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error('recommender did not come up');
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface LoadJob {
  url: string;
  /** Request paths, taken in turn. */
  paths: string[];
  headers: Record<string, string>;
  rate?: number;
  /** Paced jobs only: unrecorded seconds at the rate before the measured ones. */
  warmup?: number;
  duration: number;
  connections: number;
}

/**
 * The load generator child: runs one job and sends back its result — autocannon at full speed,
 * or with a rate, the open-loop paced load (see paced-load.ts for why not autocannon's rate).
 */
function loadChild(): void {
  process.once('message', (job: LoadJob) => {
    if (job.rate) {
      void pacedLoad({ ...job, rate: job.rate }).then((result) =>
        process.send?.(result, () => process.exit(0)),
      );
      return;
    }
    let next = 0;
    void autocannon({
      url: job.url,
      connections: job.connections,
      duration: job.duration,
      headers: job.headers,
      requests: [
        {
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            path: job.paths[next++ % job.paths.length],
          }),
        },
      ],
    }).then((result) => process.send?.(result, () => process.exit(0)));
  });
}

/** Runs a load job in a fresh child process (a lean heap: no GC pauses from this one's data). */
function runLoad(job: LoadJob): Promise<{ total: number; result: Result }> {
  return new Promise((ok, fail) => {
    const child = fork(__filename, ['load'], { execArgv: ['-r', '@swc-node/register'] });
    child.once('message', (message) => {
      if (job.rate) {
        const paced = message as PacedResult;
        // CPU is sampled around the whole job, warm-up included.
        ok({ total: paced.requests + paced.warmupRequests, result: { name: '', ...paced } });
      } else {
        const result = message as autocannon.Result;
        ok({ total: result.requests.total, result: summarise('', result) });
      }
    });
    child.once('exit', (code) => code && fail(new Error(`load child exited with ${code}`)));
    child.send(job);
  });
}

/** Dense kernels TF.js vs typed arrays, EASE's inverse and training time on Complete Journey. */
function timeKernelsAndCompleteJourney(): void {
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
}

if (process.argv[2] === 'load') loadChild();
else main();

/**
 * Trains the served model on the synthetic 1M interactions and keeps only its artefact and size:
 * the interactions and the trained tensors become unreachable when this returns.
 */
function servedModel(): { artifact: Buffer; items: { length: number }; k: number } {
  const synthetic = syntheticInteractions(20_000, 10_000, 1_000_000);
  const trained = trainTimed('synthetic 20k × 10k', synthetic, ALS_ITERATIONS).model;
  return {
    artifact: serializeModel(trained),
    items: { length: trained.items.length },
    k: trained.k,
  };
}

/** A full collection now (the bench's own heap), without needing `node --expose-gc`. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function main(): void {
  runBench(async () => {
    const backend = await initTfBackend((process.env.TF_BACKEND ?? 'auto') as 'auto');
    console.log(`\nTF.js backend: ${backend.backend}; node ${process.version}\n`);
    if (!process.env.BENCH_SERVING_ONLY) timeKernelsAndCompleteJourney();
    const model = servedModel();
    // The training data is garbage now: collect it before anything is measured, so that V8 does
    // not compact this process's large heap during a measured round (it shares the two cores).
    collectGarbage();

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
      const { artifact } = model;
      await pg.query(
        `insert into model_versions (brand_id, kind, algorithm, status, artifact, artifact_bytes, backend, activated_at)
       values ($1, 'recommender', 'blend', 'active', $2, $3, $4, now())`,
        [brand.id, artifact, artifact.length, backend.backend],
      );
      // Autovacuum would otherwise analyse the fresh rows about a minute later, during a
      // measured round, on the same two cores.
      await pg.query('vacuum analyze members, orders, order_lines, model_versions');
      await pg.end();
      console.log(
        `\nserved model: ${model.items.length} items, k = ${model.k}, artefact ${(artifact.length / 1e6).toFixed(1)} MB`,
      );

      const current = await startRecommender(database.url);
      // BENCH_COMPARE_MAIN: another build's recommender (e.g. the commit before a change; node flags
      // in BENCH_COMPARE_NODE_ARGS), served from the same database and measured in the same rounds.
      const compare = process.env.BENCH_COMPARE_MAIN
        ? await startRecommender(
            database.url,
            resolve(process.env.BENCH_COMPARE_MAIN),
            ' [compare]',
          )
        : null;
      const servers = compare ? [compare, current] : [current];
      try {
        const memberIds = rows.map((r) => r.id);
        const coldPath = async ({ url }: Recommender) => {
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
        const recommendations = async (
          { url, child, label }: Recommender,
          rate?: number,
          round = '',
        ): Promise<Result> => {
          const job: LoadJob = {
            url,
            paths: memberIds.map((id) => `/v1/members/${id}/recommendations?limit=10`),
            headers: { 'x-api-key': key },
            rate,
            warmup: PACED_WARMUP,
            duration: DURATION,
            connections: CONNECTIONS,
          };
          if (!rate) await runLoad({ ...job, duration: 2 }); // JIT warm-up
          const name = `recommender GET /v1/members/{id}/recommendations (${model.items.length} items, ${MEMBERS} members${rate ? `, ${rate} req/s paced` : ', max rate'})${round}${label}`;
          const before = cpuSnapshot(child.pid, database.name);
          child.send({ probe: 'start' });
          const { total, result } = await runLoad(job);
          child.send({ probe: 'stop', label: name });
          const after = cpuSnapshot(child.pid, database.name);
          // CPU per request and the load: figures that survive a machine shared with other work.
          console.log(
            `\n${name}\n${cpuTable(before, after, total, 'request').replace('api process', 'recommender process')}\nload average (1/5/15 min): ${loadavg()
              .map((l) => l.toFixed(2))
              .join(' / ')}`,
          );
          return { ...result, name };
        };
        // The same offered rate against bare Fastify: the machine's own tail at 1,000 req/s.
        const barePaced = async (round: string): Promise<Result> => ({
          ...(
            await runLoad({
              url: baselineUrl,
              paths: ['/health'],
              headers: {},
              rate: 1000,
              warmup: PACED_WARMUP,
              duration: DURATION,
              connections: CONNECTIONS,
            })
          ).result,
          name: `fastify bare /health, 1,000 req/s paced (baseline)${round}`,
        });
        const results = [
          await measureGet('fastify bare /health (baseline)', `${baselineUrl}/health`),
          await measureGet('recommender /health', `${current.url}/health`),
        ];
        for (const server of servers) {
          await coldPath(server);
          results.push(await recommendations(server));
        }
        // The target: p99 at 1,000 req/s offered (not at saturation, where latency is queueing).
        for (let r = 1; r <= PACED_ROUNDS; r++) {
          const round = PACED_ROUNDS > 1 ? `, round ${r}` : '';
          results.push(await barePaced(round));
          for (const server of servers) results.push(await recommendations(server, 1000, round));
        }
        report(`Recommender serving (${CONNECTIONS} connections, ${DURATION} s)`, results);
      } finally {
        for (const { child } of servers) child.kill('SIGINT');
      }
    });
  });
}
