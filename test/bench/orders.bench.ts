/**
 * Order-ingestion benchmark: signed `POST /v1/orders` end to end through HTTP (API key + HMAC
 * signature + replay check in Redis + validation + one transaction: order and lines, purchase
 * rule, ledger earn with its lot, outbox events), against a bare Fastify route measured in the
 * same run. Every request is a new order (unique id, signed in autocannon's setupRequest) for one
 * of BENCH_MEMBERS members. Usage: npm run bench:orders (builds first); knobs BENCH_DURATION,
 * BENCH_CONNECTIONS, BENCH_MEMBERS and those in harness.ts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { signStorefrontRequest } from '../support/storefront-signing';
import {
  BENCH_PASSWORD,
  CONNECTIONS,
  DURATION,
  post,
  report,
  runBench,
  summarise,
  withBenchServers,
} from './harness';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1000);

/** CPU seconds (user + system) a process has used so far; null where /proc is not available. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return null;
  }
}

runBench(() =>
  withBenchServers(async ({ database, baselineUrl: address, apiUrl, api, createBrand }) => {
    const { brand } = await createBrand();
    const { accessToken } = await post<{ accessToken: string }>(`${apiUrl}/v1/auth/staff/login`, {
      brandSlug: 'bench',
      email: 'owner@bench.test',
      password: BENCH_PASSWORD,
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

    report(
      `Order ingestion bench: ${CONNECTIONS} connections, ${DURATION}s, ${MEMBERS} members`,
      results,
      1,
    );
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
  }),
);
