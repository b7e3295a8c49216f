/**
 * Order-ingestion benchmark: signed `POST /v1/orders` end to end through HTTP (API key + HMAC
 * signature + replay check in Redis + validation + one transaction: order and lines, purchase
 * rule, ledger earn with its lot, outbox events), against a bare Fastify route measured in the
 * same run. Every request is a new order (unique id, signed in autocannon's setupRequest) for one
 * of BENCH_MEMBERS members. Usage: npm run bench:orders (builds first); knobs BENCH_DURATION,
 * BENCH_CONNECTIONS, BENCH_MEMBERS, BENCH_PROFILE=<dir> (V8 CPU profile of the api).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createTestDatabase } from '../support/test-database';
import { signStorefrontRequest } from '../support/storefront-signing';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1000);
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

/** CPU seconds (user + system) a process has used so far; null where /proc is not available. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return null;
  }
}

const summarise = (name: string, result: autocannon.Result): Result => ({
  name,
  rps: Math.round(result.requests.average),
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors,
  non2xx: result.non2xx,
});

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

    const { brand } = await post<{ brand: { id: string } }>(
      `${apiUrl}/v1/operator/brands`,
      {
        slug: 'bench',
        name: 'Bench',
        owner: { email: 'owner@bench.test', displayName: 'Owner', password: 'bench-password-1' },
      },
      { 'x-operator-token': OPERATOR_TOKEN },
    );
    const { accessToken } = await post<{ accessToken: string }>(`${apiUrl}/v1/auth/staff/login`, {
      brandSlug: 'bench',
      email: 'owner@bench.test',
      password: 'bench-password-1',
    });
    const auth = { authorization: `Bearer ${accessToken}` };
    const { key } = await post<{ key: string }>(`${apiUrl}/v1/api-keys`, { name: 'bench' }, auth);
    await post(
      `${apiUrl}/v1/loyalty/rules`,
      {
        kind: 'purchase',
        name: 'Bench',
        config: { pointsPerUnit: 1, categoryMultipliers: { a: 2 } },
      },
      auth,
    );
    // Members straight into Postgres (sign-up's scrypt is not what this measures).
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    const { rows } = await pg.query<{ id: string }>(
      `insert into members (brand_id, email, referral_code)
       select $1, 'm' || g || '@bench.test', 'R' || lpad(g::text, 8, '0') from generate_series(1, $2) g
       returning id`,
      [brand.id, MEMBERS],
    );
    const memberIds = rows.map((r) => r.id);

    const run = randomBytes(3).toString('hex');
    let seq = 0;
    const orders = (name: string) =>
      autocannon({
        url: apiUrl,
        connections: CONNECTIONS,
        duration: name === 'warm-up' ? 2 : DURATION,
        requests: [
          {
            method: 'POST',
            path: '/v1/orders',
            setupRequest: (request) => {
              seq += 1;
              const body = JSON.stringify({
                orderId: `B-${run}-${seq}`,
                memberId: memberIds[seq % memberIds.length],
                lines: [
                  {
                    productId: 'P1',
                    category: 'a',
                    quantity: 2,
                    unitPriceMinor: 1250,
                    paidMinor: 2500,
                  },
                  { productId: 'P2', quantity: 1, unitPriceMinor: 1999, paidMinor: 1999 },
                ],
                paidTotalMinor: 4499,
                currency: 'USD',
                channel: 'online',
                placedAt: new Date().toISOString(),
              });
              return {
                ...request,
                headers: signStorefrontRequest({
                  apiKey: key,
                  method: 'POST',
                  path: '/v1/orders',
                  body,
                }),
                body,
              };
            },
          },
        ],
      });

    const baselineResult = summarise(
      'fastify bare /health (baseline)',
      await autocannon({ url: `${address}/health`, connections: CONNECTIONS, duration: DURATION }),
    );
    await orders('warm-up');
    const cpuBefore = cpuSeconds(api.pid);
    const measured = await orders('measure');
    const cpuAfter = cpuSeconds(api.pid);
    const ordersResult = summarise('api POST /v1/orders (signed, points award)', measured);
    const results = [baselineResult, ordersResult];

    const counts = await pg.query<{ orders: number; earns: number; points: number }>(
      `select (select count(*)::int from orders where brand_id = $1) as orders,
              (select count(*)::int from ledger_entries where brand_id = $1 and kind = 'earn') as earns,
              (select coalesce(sum(balance), 0)::int from member_balances where brand_id = $1) as points`,
      [brand.id],
    );
    await pg.end();

    console.log(
      `\nOrder ingestion bench: ${CONNECTIONS} connections, ${DURATION}s, ${MEMBERS} members, node ${process.version}\n`,
    );
    console.log('| target | req/s | p50 ms | p99 ms | vs baseline | errors | non-2xx |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(
        `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${((r.rps / results[0].rps) * 100).toFixed(1)}% | ${r.errors} | ${r.non2xx} |`,
      );
    }
    if (cpuBefore !== null && cpuAfter !== null && measured.requests.total > 0) {
      const perOrder = ((cpuAfter - cpuBefore) * 1000) / measured.requests.total;
      console.log(
        `\napi process CPU: ${perOrder.toFixed(2)} ms per order (${(cpuAfter - cpuBefore).toFixed(1)} s over ${measured.requests.total} orders; the ceiling on one core is ${Math.round(1000 / perOrder)} orders/s)`,
      );
    }
    const c = counts.rows[0];
    console.log(
      `\nwritten: ${c.orders} orders, ${c.earns} earn entries, ${c.points} points in balances`,
    );
    if (c.orders !== c.earns) {
      console.error('orders and earn entries differ');
      process.exitCode = 1;
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
