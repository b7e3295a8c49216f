/**
 * Reservations on one hot SKU through HTTP: `POST /v1/drops/{id}/reservations` end to end (member
 * JWT, validation, per-member and per-IP rate limits in Redis, the Lua reservation script, and
 * for granted holds the Postgres insert re-checked under the SKU's lock plus the expiry job),
 * against a bare Fastify route measured in the same run. Every request is a different member
 * (BENCH_MEMBERS rotate) with a fresh idempotency key; the SKU has BENCH_STOCK units, so the run
 * covers both granted holds and the sold-out refusals that follow. Answers 201 and 409 are the
 * expected outcomes; anything else counts as an error. Afterwards Postgres is audited: oversold
 * units and members above the limit must both be 0.
 * Usage: npm run build && node -r @swc-node/register test/bench/drop-reservations.bench.ts;
 * knobs BENCH_DURATION, BENCH_CONNECTIONS, BENCH_MEMBERS, BENCH_STOCK.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { auditStock, HOT_SKU, setUpLiveDrop } from './drop-setup';
import {
  CONNECTIONS,
  cpuSnapshot,
  cpuTable,
  DURATION,
  type Result,
  measureGet,
  report,
  runBench,
  summarise,
  withBenchServers,
} from './harness';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 20_000);
const STOCK = Number(process.env.BENCH_STOCK ?? 5_000);

runBench(() =>
  withBenchServers(async ({ database, baselineUrl, apiUrl, api, createBrand }) => {
    const { brand } = await createBrand();
    const drop = await setUpLiveDrop({
      apiUrl,
      databaseUrl: database.url,
      brandId: brand.id,
      members: MEMBERS,
      stock: STOCK,
      perMemberLimit: 2,
    });
    const run = randomBytes(3).toString('hex');
    let seq = 0;
    const statuses = new Map<number, number>();
    const reserve = (seconds: number) =>
      autocannon({
        url: apiUrl,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: `/v1/drops/${drop.dropId}/reservations`,
            setupRequest: (request) => {
              seq += 1;
              const i = seq % drop.memberIds.length;
              return {
                ...request,
                headers: {
                  'content-type': 'application/json',
                  authorization: `Bearer ${drop.tokens[i]}`,
                },
                body: JSON.stringify({
                  skuId: HOT_SKU,
                  quantity: 1,
                  idempotencyKey: `${run}-${seq}`,
                }),
              };
            },
            onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
          },
        ],
      });

    const baseline = await measureGet(
      'bare Fastify GET /health (baseline)',
      `${baselineUrl}/health`,
    );
    // The simplest authenticated read of the same api (JWT + throttler + one Postgres query).
    const me = await measureGet('api GET /v1/me (member JWT, same run)', `${apiUrl}/v1/me`, {
      authorization: `Bearer ${drop.tokens[0]}`,
    });
    await reserve(2); // warm-up: JIT, pools, Lua script load
    statuses.clear();
    const cpuBefore = cpuSnapshot(api.pid, database.name);
    const result = await reserve(DURATION);
    const cpuAfter = cpuSnapshot(api.pid, database.name);
    const expected = (statuses.get(201) ?? 0) + (statuses.get(409) ?? 0);
    const measured: Result = {
      ...summarise('POST /v1/drops/{id}/reservations (hot SKU)', result),
      // 409 (sold out, limit, active hold) is a correct answer here, not a failure.
      non2xx: result.non2xx - (statuses.get(409) ?? 0),
    };
    const audit = await auditStock(drop.pg, drop.dropId);
    await drop.pg.end();
    report(`Drop reservations, ${CONNECTIONS} connections, ${DURATION} s`, [
      baseline,
      me,
      measured,
    ]);
    console.log(
      `\nstatuses: ${JSON.stringify(Object.fromEntries(statuses))}; answered 201/409: ${expected}`,
    );
    console.log(
      `stock ${audit.stock}: ${audit.units} units held or sold in ${audit.holds} holds; ` +
        `oversold ${audit.oversold}; members above the limit ${audit.overLimit}`,
    );
    console.log(`\n${cpuTable(cpuBefore, cpuAfter, result.requests.total, 'attempt')}`);
    if (audit.oversold > 0 || audit.overLimit > 0) process.exitCode = 1;
  }),
);
