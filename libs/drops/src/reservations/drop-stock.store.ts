import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import { DropsRepository } from '../drops/drops.repository';
import { INSERTED_LUA, RESERVE_LUA, SETTLE_LUA, SET_STATUS_LUA } from './drop-stock.scripts';
import { ReservationsRepository } from './reservations.repository';

/** Current availability of one SKU (contract with the live room, see docs/adr/0014). */
export interface SkuStock {
  skuId: string;
  stock: number;
  available: number;
  sold: number;
  held: number;
  /** +1 on every change of this SKU, so clients can drop out-of-order updates. */
  version: number;
}

export type ReserveOutcome =
  | { outcome: 'ok'; version: number; available: number }
  | { outcome: 'missing' }
  | { outcome: 'busy' }
  | { outcome: 'sku' }
  | { outcome: 'duplicate'; reservationId: string; fingerprint: string }
  | { outcome: 'tier' | 'state'; status: string }
  | { outcome: 'held'; reservationId: string }
  | { outcome: 'limit'; remaining: number }
  | { outcome: 'stock'; available: number }
  | { outcome: 'rate'; scope: 'member' | 'ip'; retryAfterMs: number };

export type SettleMode = 'release' | 'abort' | 'confirm';

export interface ReserveArgs {
  skuId: string;
  memberId: string;
  quantity: number;
  tierId: string | null;
  reservationId: string;
  idempotencyKey: string;
  fingerprint: string;
  /** The caller's address for the per-IP attempt limit; null when there is none (internal). */
  clientIp: string | null;
  /** Count this call against the attempt limits (false on a request's internal retries). */
  countAttempt: boolean;
}

interface RateWindow {
  max: number;
  windowMs: number;
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** How long a rebuild waits for reservations already granted by Redis to reach Postgres. */
const DRAIN_TIMEOUT_MS = 2_000;
/** Without a pending count (the keys were lost), the grace given to in-flight inserts. */
const LOST_STATE_GRACE_MS = 250;
const LOCK_TTL_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * The hot-path stock of drops in Redis: one Lua script checks and takes units, another returns
 * or sells them. Postgres stays the record: the counters are rebuilt from it whenever they are
 * missing (first use, Redis restart or flush) and reconciled against it by a periodic job.
 */
@Injectable()
export class DropStockStore {
  private readonly logger = new Logger(DropStockStore.name);
  private readonly shas = new Map<string, string>();
  private readonly rebuilds = new Map<string, Promise<void>>();
  private readonly limits: { member: RateWindow; ip: RateWindow };

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DropsRepository) private readonly drops: DropsRepository,
    @Inject(ReservationsRepository) private readonly reservations: ReservationsRepository,
  ) {
    this.limits = { member: config.drops.reservationRate, ip: config.rateLimit };
  }

  // ---- keys ---------------------------------------------------------------------------------

  private base(brandId: string, dropId: string): string {
    return `${this.config.redis.prefix}:drop:{${brandId}:${dropId}}`;
  }
  private keys(brandId: string, dropId: string, skuId: string, memberId: string, key = '') {
    const base = this.base(brandId, dropId);
    return {
      meta: `${base}:meta`,
      sku: `${base}:sku:${skuId}`,
      member: `${base}:m:${memberId}`,
      idem: `${base}:idem:${memberId}:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`,
      members: `${base}:members`,
      memberAttempts: `${base}:rl:m:${memberId}`,
    };
  }

  /** EVALSHA with a fallback to EVAL the first time a Redis (or a restarted one) sees it. */
  private async run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.shas.get(script);
    if (!sha) this.shas.set(script, (sha = sha1(script)));
    try {
      return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return this.redis.eval(script, keys.length, ...keys, ...args);
    }
  }

  // ---- hot path -----------------------------------------------------------------------------

  /**
   * One round trip: counts the attempt against the member's and the address's windows, then
   * checks and takes the units (drop-stock.scripts.ts).
   */
  async reserve(brandId: string, dropId: string, a: ReserveArgs): Promise<ReserveOutcome> {
    const k = this.keys(brandId, dropId, a.skuId, a.memberId, a.idempotencyKey);
    const ipKey = `${this.base(brandId, dropId)}:rl:ip:${a.clientIp ?? '-'}`;
    const raw = (await this.run(
      RESERVE_LUA,
      [k.meta, k.sku, k.member, k.idem, k.members, k.memberAttempts, ipKey],
      [
        a.skuId,
        a.quantity,
        a.tierId ?? '',
        a.reservationId,
        a.fingerprint,
        IDEMPOTENCY_TTL_SECONDS,
        a.countAttempt ? '1' : '0',
        this.limits.member.max,
        this.limits.member.windowMs,
        a.clientIp === null ? '' : this.limits.ip.max,
        this.limits.ip.windowMs,
      ],
    )) as string[];
    const [outcome, x, y] = raw;
    switch (outcome) {
      case 'rate':
        return {
          outcome,
          scope: x === 'ip' ? 'ip' : 'member',
          retryAfterMs: Math.max(0, Number(y)),
        };
      case 'ok':
        return { outcome, version: Number(x), available: Number(y) };
      case 'duplicate': {
        const cut = x.indexOf('|');
        return { outcome, reservationId: x.slice(0, cut), fingerprint: x.slice(cut + 1) };
      }
      case 'tier':
      case 'state':
        return { outcome, status: x };
      case 'held':
        return { outcome, reservationId: x };
      case 'limit':
        return { outcome, remaining: Number(x) };
      case 'stock':
        return { outcome, available: Number(x) };
      case 'missing':
        return { outcome };
      case 'busy':
        return { outcome };
      case 'sku':
        return { outcome };
      default:
        throw new Error(`unexpected reserve outcome ${outcome}`);
    }
  }

  /** Applies what Postgres decided about a reservation; returns the SKU version (-1: no keys). */
  async settle(
    brandId: string,
    dropId: string,
    r: { skuId: string; memberId: string; quantity: number; id: string; idempotencyKey?: string },
    mode: SettleMode,
    settlesPending: boolean,
  ): Promise<number> {
    const k = this.keys(brandId, dropId, r.skuId, r.memberId, r.idempotencyKey ?? '');
    return Number(
      await this.run(
        SETTLE_LUA,
        [k.meta, k.sku, k.member, k.idem],
        [r.skuId, r.quantity, r.id, mode, settlesPending ? '1' : '0'],
      ),
    );
  }

  /**
   * Ends the in-flight count of `count` reservations whose holds one Postgres transaction
   * committed: one round trip per batch, not per hold.
   */
  async inserted(brandId: string, dropId: string, count: number): Promise<void> {
    if (count > 0) await this.run(INSERTED_LUA, [`${this.base(brandId, dropId)}:meta`], [count]);
  }

  /** Mirrors a status change of the drop (Postgres committed it); rebuilt lazily when absent. */
  async setStatus(brandId: string, dropId: string, status: string, tiers: string[]): Promise<void> {
    const meta = `${this.base(brandId, dropId)}:meta`;
    await this.run(SET_STATUS_LUA, [meta], [status, tierList(tiers)]);
  }

  // ---- reads --------------------------------------------------------------------------------

  /** Current availability per SKU, rebuilding the counters from Postgres if they are missing. */
  async snapshot(brandId: string, dropId: string): Promise<SkuStock[]> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const read = await this.read(brandId, dropId);
      if (read) return read;
      await this.rebuild(brandId, dropId);
    }
    throw new Error(`drop ${dropId}: stock could not be rebuilt`);
  }

  private async read(brandId: string, dropId: string): Promise<SkuStock[] | null> {
    const base = this.base(brandId, dropId);
    const [skuList, rebuilding] = await this.redis.hmget(`${base}:meta`, 'skus', 'rebuilding');
    if (skuList === null || rebuilding === '1') return null;
    const ids = skuList.split(',').filter(Boolean);
    const pipeline = this.redis.pipeline();
    for (const id of ids)
      pipeline.hmget(`${base}:sku:${id}`, 'stock', 'available', 'sold', 'held', 'version');
    const results = (await pipeline.exec()) ?? [];
    const stock: SkuStock[] = [];
    for (const [i, id] of ids.entries()) {
      const values = results[i]?.[1] as (string | null)[] | undefined;
      if (!values || values.some((v) => v === null)) return null;
      const [total, available, sold, held, version] = values.map(Number);
      stock.push({ skuId: id, stock: total, available, sold, held, version });
    }
    return stock;
  }

  // ---- rebuild and reconciliation -----------------------------------------------------------

  /**
   * Rebuilds every counter of a drop from Postgres (stock − sold − active holds; each member's
   * held + confirmed units and active hold). Reservations are refused as 'busy' meanwhile, and
   * the rebuild first waits for holds Redis already granted to reach Postgres, so the snapshot
   * includes them. One process rebuilds at a time; the others wait for it. `neverOnSale`: the
   * drop was a draft until now, so no reservation can be in flight (no grace period).
   */
  async rebuild(
    brandId: string,
    dropId: string,
    options: { neverOnSale?: boolean } = {},
  ): Promise<void> {
    // Callers in this process that find the keys missing together share one rebuild.
    const key = `${brandId}:${dropId}`;
    const running = this.rebuilds.get(key);
    if (running) return running;
    const rebuild = this.rebuildNow(brandId, dropId, options.neverOnSale ?? false).finally(() =>
      this.rebuilds.delete(key),
    );
    this.rebuilds.set(key, rebuild);
    return rebuild;
  }

  private async rebuildNow(brandId: string, dropId: string, neverOnSale: boolean): Promise<void> {
    const base = this.base(brandId, dropId);
    const lock = `${base}:rebuild-lock`;
    const token = `${process.pid}:${Math.random()}`;
    if ((await this.redis.set(lock, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      const until = Date.now() + LOCK_TTL_MS;
      while (Date.now() < until && (await this.redis.exists(lock))) await sleep(25);
      return;
    }
    try {
      const meta = `${base}:meta`;
      const hadState = (await this.redis.exists(meta)) === 1;
      await this.redis.hset(meta, 'rebuilding', '1');
      if (hadState) {
        const until = Date.now() + DRAIN_TIMEOUT_MS;
        while (Date.now() < until && Number((await this.redis.hget(meta, 'pending')) ?? 0) > 0)
          await sleep(10);
      } else if (!neverOnSale) {
        await sleep(LOST_STATE_GRACE_MS);
      }
      const drop = await this.drops.findById(brandId, dropId);
      if (!drop) {
        await this.redis.del(meta);
        return;
      }
      const [totals, usage, previous] = await Promise.all([
        this.reservations.skuTotals(brandId, dropId),
        this.reservations.memberUsage(brandId, dropId),
        this.redis.smembers(`${base}:members`),
      ]);
      const versions = await Promise.all(
        totals.map((t) => this.redis.hget(`${base}:sku:${t.skuId}`, 'version')),
      );
      const multi = this.redis.multi();
      for (const key of previous) multi.del(key);
      multi.del(`${base}:members`);
      for (const [i, t] of totals.entries()) {
        const key = `${base}:sku:${t.skuId}`;
        // Lost versions restart from the clock, above any count of changes a client saw.
        const version = versions[i] === null ? Date.now() : Number(versions[i]) + 1;
        multi.del(key);
        multi.hset(key, {
          stock: t.stock,
          available: Math.max(0, t.stock - t.sold - t.held),
          held: t.held,
          sold: t.sold,
          limit: t.perMemberLimit,
          version,
        });
      }
      for (const u of usage) {
        const key = `${base}:m:${u.memberId}`;
        multi.hset(key, `u:${u.skuId}`, u.used);
        if (u.activeHoldId) multi.hset(key, `h:${u.skuId}`, u.activeHoldId);
        multi.sadd(`${base}:members`, key);
      }
      multi.hset(meta, {
        status: drop.status,
        tiers: tierList(drop.earlyAccessTierIds),
        skus: `,${totals.map((t) => t.skuId).join(',')},`,
        pending: 0,
      });
      multi.hdel(meta, 'rebuilding');
      await multi.exec();
      this.logger.log(`drop ${dropId}: stock rebuilt from Postgres (${totals.length} SKUs)`);
    } finally {
      // Release only our own lock (it may have expired and been taken by another rebuild).
      if ((await this.redis.get(lock)) === token) await this.redis.del(lock);
    }
  }

  /**
   * Compares the Redis counters with Postgres and rebuilds on any difference. Only meaningful
   * when no reservation is in flight, so it skips a drop with pending inserts. Returns whether it
   * rebuilt.
   */
  async reconcile(brandId: string, dropId: string): Promise<boolean> {
    const base = this.base(brandId, dropId);
    const [status, pending, rebuilding] = await this.redis.hmget(
      `${base}:meta`,
      'status',
      'pending',
      'rebuilding',
    );
    if (rebuilding === '1' || Number(pending ?? 0) > 0) return false;
    const [drop, current, totals] = await Promise.all([
      this.drops.findById(brandId, dropId),
      this.read(brandId, dropId),
      this.reservations.skuTotals(brandId, dropId),
    ]);
    if (!drop) return false;
    const agrees =
      current !== null &&
      status === drop.status &&
      totals.length === current.length &&
      totals.every((t) => {
        const c = current.find((s) => s.skuId === t.skuId);
        return (
          c && c.sold === t.sold && c.held === t.held && c.available === t.stock - t.sold - t.held
        );
      });
    if (agrees) return false;
    await this.rebuild(brandId, dropId);
    return true;
  }

  /** Forgets a drop's Redis state (tests of the rebuild; never used on the request path). */
  async forget(brandId: string, dropId: string): Promise<number> {
    const keys = await this.keysOf(brandId, dropId);
    return keys.length ? this.redis.del(...keys) : 0;
  }

  /**
   * Lets a finished drop's keys lapse (holds still running when it ended can be confirmed until
   * they expire; anything asked later is rebuilt from Postgres).
   */
  async retire(brandId: string, dropId: string, afterSeconds: number): Promise<void> {
    const keys = await this.keysOf(brandId, dropId);
    if (!keys.length) return;
    const multi = this.redis.multi();
    for (const key of keys) multi.expire(key, afterSeconds);
    await multi.exec();
  }

  private async keysOf(brandId: string, dropId: string): Promise<string[]> {
    const base = this.base(brandId, dropId);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', `${base}:*`, 'COUNT', 500);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    return keys;
  }
}

function tierList(tiers: string[]): string {
  return `,${tiers.join(',')},`;
}
