/**
 * Live-drop benchmark: BENCH_VIEWERS socket.io clients in one drop room while BENCH_BUYERS
 * connections hammer `POST /v1/drops/{id}/reservations` on one hot SKU (every attempt by a
 * different member, so each may hold a unit). Reports reservations/s, p99 reservation latency,
 * p99 delivery latency of `drop.stock` to the clients (server `at` → client receive time, same
 * machine clock), out-of-order updates and the oversell count (must be 0). Baselines measured in
 * the same run: a bare socket.io server broadcasting the same payload to the same N clients as
 * often as the api pushes to a room of N (`stockPushIntervalMs`, ADR 0025), the same load on a
 * drop whose room is empty, and the bare Fastify route of harness.ts for HTTP.
 *
 * Usage: npm run bench:drops (builds first). Knobs: BENCH_VIEWERS (default 1000), BENCH_BUYERS
 * (connections, 50), BENCH_DURATION (s, 10), BENCH_STOCK (units of the hot SKU, 5000), and those of
 * harness.ts. The socket clients run in a child process (this file, argv `viewers`) so their
 * event loop is not the load generator's; the bare socket.io server is another (argv `bare-io`).
 * They speak the socket.io protocol through LeanSocketIoClient: on two cores the clients share
 * with the server, socket.io-client's own overhead would be measured as the server's.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { Server } from 'socket.io';
import { cpuSnapshot, cpuTable, DURATION, measureGet, runBench, withBenchServers } from './harness';
import { LeanSocketIoClient } from './lean-socket-io-client';
import { stockPushIntervalMs } from '@app/drops';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 1000);
const BUYERS = Number(process.env.BENCH_BUYERS ?? 50);
const STOCK = Number(process.env.BENCH_STOCK ?? 5000);
/** The harness's api secret: tokens for thousands of members are signed here, not logged in. */
const ACCESS_SECRET = 'bench-access-secret-0123456789abcdef0123';
const SKU = 'HOT-1';
/** The api's default unless the environment (which the api inherits) sets it. */
const FANOUT_PER_SECOND = Number(process.env.DROP_STOCK_FANOUT_PER_SECOND ?? 10_000);

// ---- child: N socket.io clients ------------------------------------------------------------

interface ViewerStats {
  connected: number;
  failed: number;
  events: number;
  p50: number;
  p99: number;
  max: number;
  /** Updates whose version was not above the last one the client had for that SKU. */
  outOfOrder: number;
  /** Distinct last `available` values of the hot SKU across clients (1 value = all agree). */
  lastAvailable: number[];
  joinP99: number;
}

type ViewerCommand =
  | { cmd: 'connect'; url: string; tokens: string[]; dropId?: string; event: string }
  | { cmd: 'report' }
  | { cmd: 'close' };

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : 0;

function viewersChild(): void {
  let sockets: LeanSocketIoClient[] = [];
  let latencies: number[] = [];
  let joins: number[] = [];
  let outOfOrder = 0;
  let failed = 0;
  const last = new Map<LeanSocketIoClient, Map<string, { version: number; available: number }>>();

  async function connect(command: Extract<ViewerCommand, { cmd: 'connect' }>): Promise<void> {
    const batch = 200;
    for (let i = 0; i < command.tokens.length; i += batch) {
      await Promise.all(
        command.tokens.slice(i, i + batch).map(async (token) => {
          let socket: LeanSocketIoClient | undefined;
          try {
            socket = await LeanSocketIoClient.connect(command.url, { token });
            const versions = new Map<string, { version: number; available: number }>();
            last.set(socket, versions);
            socket.on(command.event, (payload) => {
              const e = payload as {
                at: string;
                skus?: { skuId: string; version: number; available: number }[];
              };
              latencies.push(Date.now() - Date.parse(e.at));
              for (const sku of e.skus ?? []) {
                const seen = versions.get(sku.skuId);
                if (seen && sku.version <= seen.version) outOfOrder += 1;
                else versions.set(sku.skuId, { version: sku.version, available: sku.available });
              }
            });
            if (command.dropId) {
              const started = Date.now();
              const ack = (await socket.emitWithAck('drop:join', { dropId: command.dropId })) as {
                ok: boolean;
                stock?: { skuId: string; version: number; available: number }[];
              };
              if (!ack.ok) throw new Error(JSON.stringify(ack));
              joins.push(Date.now() - started);
              for (const sku of ack.stock ?? [])
                versions.set(sku.skuId, { version: sku.version, available: sku.available });
            }
            sockets.push(socket);
          } catch {
            failed += 1;
            socket?.close();
          }
        }),
      );
    }
  }

  function report(): ViewerStats {
    const sorted = [...latencies].sort((a, b) => a - b);
    const sortedJoins = [...joins].sort((a, b) => a - b);
    const finals = new Set<number>();
    for (const socket of sockets) {
      const hot = last.get(socket)?.get(SKU);
      if (hot) finals.add(hot.available);
    }
    return {
      connected: sockets.length,
      failed,
      events: latencies.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? 0,
      outOfOrder,
      lastAvailable: [...finals],
      joinP99: percentile(sortedJoins, 99),
    };
  }

  process.on('message', (message: ViewerCommand) => {
    if (message.cmd === 'connect') {
      latencies = [];
      joins = [];
      outOfOrder = 0;
      failed = 0;
      void connect(message).then(() => process.send?.({ connected: sockets.length, failed }));
    } else if (message.cmd === 'report') {
      process.send?.(report());
    } else {
      for (const socket of sockets) socket.close();
      sockets = [];
      last.clear();
      process.send?.({ closed: true });
    }
  });
  process.send?.({ ready: true });
}

// ---- child: the bare socket.io baseline ---------------------------------------------------

function bareIoChild(): void {
  const http = createServer();
  const server = new Server(http, { transports: ['websocket'] });
  let version = 0;
  http.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (http.address() as AddressInfo).port });
  });
  process.on('message', (message: { cmd: 'start' | 'stop' }) => {
    if (message.cmd !== 'start') return;
    // The same payload shape and rate as the api's coalesced drop.stock to a room of VIEWERS.
    const timer = setInterval(
      () => {
        version += 1;
        server.emit('drop.stock', {
          dropId: 'baseline',
          skus: [{ skuId: SKU, available: STOCK - version, version }],
          at: new Date().toISOString(),
        });
      },
      stockPushIntervalMs(VIEWERS, FANOUT_PER_SECOND),
    );
    process.once('message', () => {
      clearInterval(timer);
      process.send?.({ stopped: true });
    });
  });
}

// ---- parent ---------------------------------------------------------------------------------

function child(mode: 'viewers' | 'bare-io'): ChildProcess {
  return fork(__filename, [mode], { execArgv: ['-r', '@swc-node/register'] });
}

function ask<T>(proc: ChildProcess, message?: unknown): Promise<T> {
  return new Promise((resolve) => {
    proc.once('message', (reply) => resolve(reply as T));
    if (message) proc.send(message);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function memberToken(brandId: string, memberId: string): string {
  return jwt.sign({ brandId, typ: 'member' }, ACCESS_SECRET, {
    algorithm: 'HS256',
    subject: memberId,
    audience: 'loyalty:access',
    issuer: 'loyalty-platform',
    expiresIn: 3600,
  });
}

async function main(): Promise<void> {
  await withBenchServers(async ({ database, baselineUrl, apiUrl, api, createBrand }) => {
    const { brand } = await createBrand();
    const brandId = brand.id;

    // Members in bulk (one per viewer, one per reservation attempt), and a live drop.
    const buyerPool = Math.max(20_000, DURATION * 6_000);
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    const { rows: members } = await pg.query<{ id: string }>(
      `insert into members (brand_id, email, first_name, referral_code)
       select $1, 'm' || g || '@bench.test', 'M' || g, 'B' || g
         from generate_series(1, $2::int) g
       returning id`,
      [brandId, VIEWERS + buyerPool],
    );
    async function createDrop(): Promise<string> {
      const {
        rows: [row],
      } = await pg.query<{ id: string }>(
        `insert into drops (brand_id, title, status, starts_at, ends_at, hold_seconds)
         values ($1, 'Bench drop', 'live', now() - interval '1 minute', now() + interval '1 hour', 600)
         returning id`,
        [brandId],
      );
      await pg.query(
        `insert into drop_skus (brand_id, drop_id, id, product_id, name, price_minor, stock, per_member_limit)
         values ($1, $2, $3, 'P-HOT', 'Hot', 1000, $4, 1)`,
        [brandId, row.id, SKU, STOCK],
      );
      return row.id;
    }
    const drop = { id: await createDrop() };
    const emptyRoomDrop = await createDrop();
    const viewerTokens = members.slice(0, VIEWERS).map((m) => memberToken(brandId, m.id));
    const buyerTokens = members.slice(VIEWERS).map((m) => memberToken(brandId, m.id));
    let next = 0;
    /** When the last hold of a run was granted (ms after its start): the sell-through time. */
    let lastGrantedMs = 0;
    /** M connections reserving one unit each (a new member every attempt) for `seconds`. */
    const hammer = (dropId: string, seconds: number) => {
      const started = Date.now();
      lastGrantedMs = 0;
      return autocannon({
        url: apiUrl,
        connections: BUYERS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: `/v1/drops/${dropId}/reservations`,
            setupRequest: (request) => ({
              ...request,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${buyerTokens[next++ % buyerTokens.length]}`,
              },
              body: JSON.stringify({ skuId: SKU, quantity: 1, idempotencyKey: randomUUID() }),
            }),
            onResponse: (status) => {
              if (status === 201) lastGrantedMs = Date.now() - started;
            },
          },
        ],
      });
    };

    // 0. Baseline of the reservation path: the same load on a drop whose room is empty, after a
    // warm-up (JIT, pools, scripts) on a drop of its own.
    await hammer(await createDrop(), 2);
    const emptyRoom = await hammer(emptyRoomDrop, DURATION / 2);
    const emptySellThroughMs = lastGrantedMs;

    const viewers = child('viewers');
    await ask(viewers);
    const bare = child('bare-io');
    const { port } = await ask<{ port: number }>(bare);

    // 1. Baseline: the bare socket.io server broadcasting to N clients for DURATION/2 s.
    const bareConnected = await ask<{ connected: number; failed: number }>(viewers, {
      cmd: 'connect',
      url: `http://127.0.0.1:${port}`,
      tokens: viewerTokens,
      event: 'drop.stock',
    });
    bare.send({ cmd: 'start' });
    await sleep((DURATION * 1000) / 2);
    bare.send({ cmd: 'stop' });
    await sleep(300);
    const baseline = await ask<ViewerStats>(viewers, { cmd: 'report' });
    await ask(viewers, { cmd: 'close' });
    bare.kill('SIGINT');
    const httpBaseline = await measureGet('bare Fastify GET /health', `${baselineUrl}/health`);

    // 2. The api: N members join the room, then M connections reserve for DURATION s.
    const joinStarted = Date.now();
    const joined = await ask<{ connected: number; failed: number }>(viewers, {
      cmd: 'connect',
      url: apiUrl,
      tokens: viewerTokens,
      dropId: drop.id,
      event: 'drop.stock',
    });
    const joinSeconds = (Date.now() - joinStarted) / 1000;
    await sleep(1500); // the viewers pushes of the joins settle
    const cpuBefore = cpuSnapshot(api.pid, database.name, { viewers: viewers.pid });
    const result = await hammer(drop.id, DURATION);
    const sellThroughMs = lastGrantedMs;
    const cpuAfter = cpuSnapshot(api.pid, database.name, { viewers: viewers.pid });
    await sleep(1000); // the last coalesced push
    const live = await ask<ViewerStats>(viewers, { cmd: 'report' });
    await ask(viewers, { cmd: 'close' });
    viewers.kill('SIGINT');

    // 3. Oversell: units held or sold in Postgres against the stock; the clients' final value.
    const {
      rows: [units],
    } = await pg.query<{ held: number; sold: number; holds: number }>(
      `select coalesce(sum(quantity) filter (where status = 'held'), 0)::int as held,
              coalesce(sum(quantity) filter (where status = 'confirmed'), 0)::int as sold,
              count(*)::int as holds
         from drop_reservations where brand_id = $1 and drop_id = $2 and sku_id = $3`,
      [brandId, drop.id, SKU],
    );
    const perMember = await pg.query(
      `select member_id from drop_reservations
        where brand_id = $1 and drop_id = $2 and status in ('held', 'confirmed')
        group by member_id having sum(quantity) > 1`,
      [brandId, drop.id],
    );
    await pg.end();
    const oversell = Math.max(0, units.held + units.sold - STOCK);
    const codes = Object.entries(result.statusCodeStats ?? {})
      .map(([code, stat]) => `${code}: ${(stat as { count: number }).count}`)
      .join(', ');
    const attempts = result.requests.total;
    const granted = units.holds;

    console.log(`\nLive drop benchmark, node ${process.version}, ${new Date().toISOString()}`);
    console.log(
      `${VIEWERS} viewers (connected ${joined.connected}, failed ${joined.failed}, joined in ` +
        `${joinSeconds.toFixed(1)} s, join ack p99 ${live.joinP99} ms); ${BUYERS} buyer ` +
        `connections for ${DURATION} s on one SKU of ${STOCK} units\n`,
    );
    console.log('| measure | value |');
    console.log('|---|---:|');
    console.log(`| reservation attempts/s | ${Math.round(attempts / DURATION)} |`);
    console.log(`| reservations granted (holds) | ${granted} |`);
    console.log(
      `| sell-through: last hold granted after / holds granted per s until then | ` +
        `${(sellThroughMs / 1000).toFixed(1)} s / ${Math.round((granted * 1000) / Math.max(1, sellThroughMs))} |`,
    );
    console.log(
      `| reservation latency p50 / p99 ms | ${result.latency.p50} / ${result.latency.p99} |`,
    );
    console.log(
      `| baseline: same load, empty room: attempts/s, p50 / p99 ms | ` +
        `${Math.round(emptyRoom.requests.total / (DURATION / 2))}, ${emptyRoom.latency.p50} / ${emptyRoom.latency.p99} ` +
        `(sold out after ${(emptySellThroughMs / 1000).toFixed(1)} s) |`,
    );
    console.log(`| HTTP status counts | ${codes} |`);
    console.log(`| units held + sold / stock | ${units.held + units.sold} / ${STOCK} |`);
    console.log(`| **oversell** | **${oversell}** |`);
    console.log(`| members above their limit | ${perMember.rowCount} |`);
    console.log(
      `| drop.stock pushes per client (≤ ${(1000 / stockPushIntervalMs(VIEWERS, FANOUT_PER_SECOND)).toFixed(0)}/s expected) | ${(live.events / Math.max(1, live.connected)).toFixed(1)} |`,
    );
    console.log(
      `| drop.stock delivery p50 / p99 / max ms | ${live.p50} / ${live.p99} / ${live.max} |`,
    );
    console.log(`| out-of-order stock updates | ${live.outOfOrder} |`);
    console.log(
      `| final available seen by clients | ${live.lastAvailable.join(', ')} (stock − held − sold = ${STOCK - units.held - units.sold}) |`,
    );
    console.log(
      `| baseline: bare socket.io, ${bareConnected.connected} clients, p50 / p99 / max ms | ` +
        `${baseline.p50} / ${baseline.p99} / ${baseline.max} (${(baseline.events / Math.max(1, baseline.connected)).toFixed(1)} events per client) |`,
    );
    console.log(
      `| baseline: bare Fastify GET req/s, p99 ms | ${httpBaseline.rps}, ${httpBaseline.p99} |`,
    );
    console.log(`\n${cpuTable(cpuBefore, cpuAfter, attempts, 'attempt')}`);
    if (oversell > 0 || perMember.rowCount) process.exitCode = 1;
  });
}

if (process.argv[2] === 'viewers') viewersChild();
else if (process.argv[2] === 'bare-io') bareIoChild();
else runBench(main);
