/**
 * HTTP baseline: autocannon against a bare Fastify route (the floor, same run, same machine),
 * the api's /health, and an authenticated member read (JWT verify + throttler in Redis +
 * Postgres lookup). Servers run in their own processes so the load generator does not share
 * their event loop. Usage: npm run bench  (env BENCH_DURATION seconds, BENCH_CONNECTIONS).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase } from '../support/test-database';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROOT = resolve(__dirname, '../..');
const OPERATOR_TOKEN = 'bench-operator-token-0123456789abcdef';

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function waitForMessage(child: ChildProcess): Promise<{ address: string }> {
  return new Promise((ok, fail) => {
    child.once('message', (message) => ok(message as { address: string }));
    child.once('exit', (code) => fail(new Error(`server exited early (${code})`)));
  });
}

async function waitForHttp(url: string, deadlineMs = 30_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

async function run(
  name: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<Result> {
  // Warm-up so JIT and connection pools are hot before measuring.
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

async function post<T>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const children: ChildProcess[] = [];
  try {
    const baseline = fork(resolve(__dirname, 'baseline-server.ts'), [], {
      execArgv: ['-r', '@swc-node/register'],
      cwd: ROOT,
    });
    children.push(baseline);
    const { address } = await waitForMessage(baseline);

    const apiPort = 3900 + Math.floor(Math.random() * 90);
    // BENCH_API_ROOT=<checkout with a build> measures another version of the api with the same script.
    const apiRoot = process.env.BENCH_API_ROOT ?? ROOT;
    const api = fork(resolve(apiRoot, 'dist/apps/api/src/main.js'), [], {
      cwd: apiRoot,
      // BENCH_PROFILE=<dir> writes a V8 CPU profile of the api process for the whole run.
      execArgv: process.env.BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
        : [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: database.url,
        API_PORT: String(apiPort),
        REDIS_PREFIX: `bench_${process.pid}`,
        RATE_LIMIT_MAX: '1000000000',
        AUTH_RATE_LIMIT_MAX: '1000',
        JWT_ACCESS_SECRET: 'bench-access-secret-0123456789abcdef0123',
        JWT_REFRESH_SECRET: 'bench-refresh-secret-0123456789abcdef012',
        OPERATOR_TOKEN,
      },
    });
    children.push(api);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${apiUrl}/health`);

    await post(
      `${apiUrl}/v1/operator/brands`,
      {
        slug: 'bench',
        name: 'Bench',
        owner: { email: 'owner@bench.test', displayName: 'Owner', password: 'bench-password-1' },
      },
      { 'x-operator-token': OPERATOR_TOKEN },
    );
    await post(`${apiUrl}/v1/brands/bench/members`, {
      email: 'member@bench.test',
      password: 'bench-password-1',
      firstName: 'Bench',
    });
    const { accessToken } = await post<{ accessToken: string }>(`${apiUrl}/v1/auth/member/login`, {
      brandSlug: 'bench',
      email: 'member@bench.test',
      password: 'bench-password-1',
    });

    const only = process.env.BENCH_ONLY;
    const results = [
      await run('fastify bare /health (baseline)', `${address}/health`),
      ...(only === 'me' ? [] : [await run('api GET /health', `${apiUrl}/health`)]),
      await run('api GET /v1/me (JWT + throttler + Postgres)', `${apiUrl}/v1/me`, {
        authorization: `Bearer ${accessToken}`,
      }),
    ];

    const base = results[0].rps;
    console.log(
      `\nHTTP bench: ${CONNECTIONS} connections, ${DURATION}s each, node ${process.version}\n`,
    );
    console.log('| target | req/s | p50 ms | p99 ms | vs baseline | errors | non-2xx |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(
        `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${((r.rps / base) * 100).toFixed(0)}% | ${r.errors} | ${r.non2xx} |`,
      );
    }
    if (results.some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGINT');
    await Promise.all(
      children
        .filter((child) => child.exitCode === null)
        .map((child) => new Promise((r) => child.once('exit', r))),
    );
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
