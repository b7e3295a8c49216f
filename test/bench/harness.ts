/**
 * What every HTTP benchmark shares: a bare-Fastify baseline and the built api, each in its own
 * process (so the load generator does not share their event loop), a throwaway database, setup
 * calls, and one result table. Knobs: BENCH_DURATION (s), BENCH_CONNECTIONS,
 * BENCH_API_ROOT=<checkout with a build> (measure another version of the api with the same
 * script), BENCH_PROFILE=<dir> (V8 CPU profile of the api process for the whole run).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

export const DURATION = Number(process.env.BENCH_DURATION ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const OPERATOR_TOKEN = 'bench-operator-token-0123456789abcdef';
export const BENCH_PASSWORD = 'bench-password-1';
const ROOT = resolve(__dirname, '../..');

/** CPU seconds (user + system) a process has used so far; null where /proc is not available. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return null;
  }
}

/** Pids and command lines of every process (from /proc). */
function processes(): { pid: number; ppid: number; comm: string; cmdline: string }[] {
  const found = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      found.push({
        pid: Number(d),
        ppid: Number(stat.split(') ')[1].split(' ')[1]),
        comm: readFileSync(`/proc/${d}/comm`, 'utf8').trim(),
        cmdline: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '),
      });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/**
 * CPU seconds used so far by the api (with its cluster workers), PostgreSQL (given the bench
 * database: its backends and the server's own processes, not other databases' backends), Redis
 * and this load generator.
 */
export function cpuSnapshot(
  apiPid: number | undefined,
  databaseName?: string,
  /** More processes to account for by name, e.g. a child running socket clients. */
  others: Record<string, number | undefined> = {},
): Record<string, number> {
  const all = processes();
  const sum = (pids: number[]) => pids.reduce((t, pid) => t + (cpuSeconds(pid) ?? 0), 0);
  const self = process.cpuUsage();
  const postgres = all.filter(
    (p) =>
      p.comm === 'postgres' &&
      (!databaseName ||
        p.cmdline.includes(` ${databaseName} `) ||
        !p.cmdline.includes('127.0.0.1(')),
  );
  return {
    api: sum([apiPid ?? -1, ...all.filter((p) => p.ppid === apiPid).map((p) => p.pid)]),
    postgres: sum(postgres.map((p) => p.pid)),
    redis: sum(all.filter((p) => p.comm === 'redis-server').map((p) => p.pid)),
    'load generator': (self.user + self.system) / 1e6,
    ...Object.fromEntries(
      Object.entries(others).map(([name, pid]) => [name, sum(pid ? [pid] : [])]),
    ),
  };
}

/**
 * Where the cores went per request: CPU ms of each process between two snapshots, and the
 * ceiling one core puts on the api.
 */
export function cpuTable(
  before: Record<string, number>,
  after: Record<string, number>,
  requests: number,
  unit: string,
): string {
  if (requests <= 0) return '';
  const ms = (name: string) => ((after[name] - before[name]) * 1000) / requests;
  const lines = Object.keys(after).map((name) => `| ${name} | ${ms(name).toFixed(2)} |`);
  const api = ms('api');
  return (
    `| process | CPU ms per ${unit} |\n|---|---:|\n${lines.join('\n')}\n\n` +
    `api process: ${api.toFixed(2)} ms of CPU per ${unit} (the ceiling on one core is ${Math.round(1000 / api)} ${unit}s/s)`
  );
}

export interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export const summarise = (name: string, result: autocannon.Result): Result => ({
  name,
  rps: Math.round(result.requests.average),
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors,
  non2xx: result.non2xx,
});

/** GETs `url` with a 2 s warm-up (JIT, pools) before the measured DURATION. */
export async function measureGet(
  name: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<Result> {
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 });
  return summarise(
    name,
    await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION }),
  );
}

export async function post<T>(
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

export interface BenchServers {
  database: TestDatabase;
  /** Base URL of the bare Fastify baseline (serves /health). */
  baselineUrl: string;
  apiUrl: string;
  api: ChildProcess;
  /** Creates the `bench` brand with owner owner@bench.test through the operator endpoint. */
  createBrand(): Promise<{ brand: { id: string } }>;
}

/** Runs `work` against fresh servers and a fresh database, and always tears them down. */
export async function withBenchServers(
  work: (servers: BenchServers) => Promise<void>,
): Promise<void> {
  const database = await createTestDatabase();
  const children: ChildProcess[] = [];
  try {
    const baseline = fork(resolve(__dirname, 'baseline-server.ts'), [], {
      execArgv: ['-r', '@swc-node/register'],
      cwd: ROOT,
    });
    children.push(baseline);
    const { address } = await new Promise<{ address: string }>((ok, fail) => {
      baseline.once('message', (message) => ok(message as { address: string }));
      baseline.once('exit', (code) => fail(new Error(`baseline exited early (${code})`)));
    });

    const apiPort = 3900 + Math.floor(Math.random() * 90);
    const apiRoot = process.env.BENCH_API_ROOT ?? ROOT;
    const api = fork(resolve(apiRoot, 'dist/apps/api/src/main.js'), [], {
      cwd: apiRoot,
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

    await work({
      database,
      baselineUrl: address,
      apiUrl,
      api,
      createBrand: () =>
        post(
          `${apiUrl}/v1/operator/brands`,
          {
            slug: 'bench',
            name: 'Bench',
            owner: { email: 'owner@bench.test', displayName: 'Owner', password: BENCH_PASSWORD },
          },
          { 'x-operator-token': OPERATOR_TOKEN },
        ),
    });
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

/** Prints the results as a Markdown table, the first row being the baseline; fails on errors. */
export function report(title: string, results: Result[], digits = 0): void {
  console.log(`\n${title}, node ${process.version}\n`);
  console.log('| target | req/s | p50 ms | p99 ms | vs baseline | errors | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const share = ((r.rps / results[0].rps) * 100).toFixed(digits);
    console.log(
      `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${share}% | ${r.errors} | ${r.non2xx} |`,
    );
  }
  if (results.some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
}

export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
