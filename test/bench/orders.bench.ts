/**
 * Order-ingestion benchmark: signed `POST /v1/orders` end to end through HTTP (API key + HMAC
 * signature + replay check in Redis + validation + one transaction: order and lines, purchase
 * rule, ledger earn with its lot, outbox events), against a bare Fastify route measured in the
 * same run. Every request is a new order (unique id, signed in autocannon's setupRequest) for one
 * of BENCH_MEMBERS members. Usage: npm run bench:orders (builds first); knobs BENCH_DURATION,
 * BENCH_CONNECTIONS, BENCH_MEMBERS and those in harness.ts.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { signStorefrontRequest } from '../support/storefront-signing';
import {
  BENCH_PASSWORD,
  CONNECTIONS,
  cpuSnapshot,
  cpuTable,
  DURATION,
  post,
  report,
  runBench,
  summarise,
  withBenchServers,
} from './harness';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1000);

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
    /**
     * Requests are signed before the clock starts (signatures stay valid for the replay window), so
     * the load generator's HMAC work does not compete with the api for the two cores.
     */
    const signedBatch = (count: number) =>
      Array.from({ length: count }, () => {
        seq += 1;
        const body = JSON.stringify({
          orderId: `B-${run}-${seq}`,
          memberId: memberIds[seq % memberIds.length],
          lines: [
            { productId: 'P1', category: 'a', quantity: 2, unitPriceMinor: 1250, paidMinor: 2500 },
            { productId: 'P2', quantity: 1, unitPriceMinor: 1999, paidMinor: 1999 },
          ],
          paidTotalMinor: 4499,
          currency: 'USD',
          channel: 'online',
          placedAt: new Date().toISOString(),
        });
        const headers = signStorefrontRequest({
          apiKey: key,
          method: 'POST',
          path: '/v1/orders',
          body,
        });
        return { headers, body };
      });
    const orders = (seconds: number) => {
      // Enough for 4,000 orders/s; the run stops early (and says so) if it runs out.
      const prepared = signedBatch(seconds * 4000);
      let next = 0;
      return autocannon({
        url: apiUrl,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/v1/orders',
            setupRequest: (request) => {
              const signed = prepared[next++];
              if (!signed) throw new Error('ran out of pre-signed orders');
              return { ...request, ...signed };
            },
          },
        ],
      });
    };

    const baselineResult = summarise(
      'fastify bare /health (baseline)',
      await autocannon({ url: `${address}/health`, connections: CONNECTIONS, duration: DURATION }),
    );
    await orders(2);
    const cpuBefore = cpuSnapshot(api.pid, database.name);
    const measured = await orders(DURATION);
    const cpuAfter = cpuSnapshot(api.pid, database.name);
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
    console.log(`\n${cpuTable(cpuBefore, cpuAfter, measured.requests.total, 'order')}`);
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
