import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import { DropStockStore } from '../reservations/drop-stock.store';
import { Coalescer, type FlushResult } from './coalescer';
import { countViewers } from './drop-presence.service';
import { DROP_EVENTS, DropRoomEmitter } from './drop-room.emitter';

/** At most one `drop.stock` push per drop per this many ms, across every process… */
export const STOCK_PUSH_INTERVAL_MS = 100;

/**
 * …and, in a crowded room, as often as the fanout budget allows: a push costs one socket write
 * per viewer (ADR 0025), so 5,000 viewers on a budget of 10,000 messages/s get one every 500 ms.
 */
export function stockPushIntervalMs(viewers: number, fanoutPerSecond: number): number {
  return Math.max(STOCK_PUSH_INTERVAL_MS, Math.ceil((viewers * 1000) / fanoutPerSecond));
}

/**
 * KEYS: hash of the SKU versions last published for the drop. ARGV: channel, message, memory ms,
 * then skuId, version pairs. Publishes only a snapshot newer than the last one for some SKU and
 * older for none; returns 1 when it published.
 */
export const PUBLISH_IF_NEWER_LUA = `
local newer = false
for i = 4, #ARGV, 2 do
  local last = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '-1')
  local v = tonumber(ARGV[i + 1])
  if v < last then return 0 end
  if v > last then newer = true end
end
if not newer then return 0 end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`;
/** How long the versions last pushed for a drop are remembered across processes. */
const PUSHED_MEMORY_MS = 3_600_000;

/** `drop.stock` payload: availability per SKU; `version` only grows per SKU (drop older ones). */
export interface DropStockEvent {
  dropId: string;
  skus: { skuId: string; available: number; version: number }[];
  /** Server time of the snapshot (ISO), for clock correction and delivery-latency measures. */
  at: string;
}

/**
 * Live stock per SKU (ADR 0015). D1's reservation paths call `changed` (bound to the
 * DROP_STOCK_CHANGED token) after every hold, release and confirmation; this marks the drop dirty
 * and, at most every `stockPushIntervalMs` (100 ms, longer in rooms above the fanout budget),
 * reads one snapshot of all its SKUs and emits it to
 * `drop:<id>` through the Redis emitter. A Redis window key (SET NX PX) keeps the rate per drop
 * across api and worker processes: a process that finds the window taken tries again when it
 * ends, so the last change is always pushed. A snapshot whose versions were already pushed (by
 * this process or, per the versions kept in Redis, by another) is skipped.
 */
@Injectable()
export class DropStockBroadcaster implements OnModuleDestroy {
  private readonly logger = new Logger(DropStockBroadcaster.name);
  private readonly coalescer: Coalescer;
  private readonly brands = new Map<string, string>();
  /** Per drop, the SKU versions this process pushed last: an unchanged snapshot is not re-sent. */
  private readonly pushed = new Map<string, string>();
  /** Per drop, the push interval its last viewer count called for. */
  private readonly intervals = new Map<string, number>();
  private readonly prefix: string;
  private readonly fanoutPerSecond: number;

  constructor(
    @Inject(DropStockStore) private readonly store: DropStockStore,
    @Inject(DropRoomEmitter) private readonly emitter: DropRoomEmitter,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.prefix = config.redis.prefix;
    this.fanoutPerSecond = config.drops.stockFanoutPerSecond;
    this.coalescer = new Coalescer(
      (dropId) => this.intervals.get(dropId) ?? STOCK_PUSH_INTERVAL_MS,
      (dropId) => this.push(dropId),
      (dropId, error) => this.logger.warn({ err: error }, `drop ${dropId}: stock push failed`),
    );
  }

  /** The DROP_STOCK_CHANGED callback: cheap and synchronous (the push happens later). */
  changed(brandId: string, dropId: string, _skuId?: string): void {
    this.brands.set(dropId, brandId);
    this.coalescer.mark(dropId);
  }

  onModuleDestroy(): void {
    this.coalescer.stop();
  }

  private async push(dropId: string): Promise<FlushResult> {
    const brandId = this.brands.get(dropId);
    if (!brandId) return;
    const window = `${this.prefix}:drops:stock-push:${dropId}`;
    const viewers = await countViewers(this.redis, this.prefix, dropId);
    const intervalMs = stockPushIntervalMs(viewers, this.fanoutPerSecond);
    this.intervals.set(dropId, intervalMs);
    const taken = await this.redis.set(window, '1', 'PX', intervalMs, 'NX');
    if (taken !== 'OK') {
      const ttl = await this.redis.pttl(window);
      return { retryInMs: ttl > 0 ? ttl : 1 };
    }
    const skus = await this.store.snapshot(brandId, dropId);
    // Notifications also follow steps that move no unit (a hold reaching Postgres).
    const versions = skus.map((s) => `${s.skuId}:${s.version}`).join(',');
    if (this.pushed.get(dropId) === versions) return;
    this.pushed.set(dropId, versions);
    const event: DropStockEvent = {
      dropId,
      skus: skus.map((s) => ({ skuId: s.skuId, available: s.available, version: s.version })),
      at: new Date().toISOString(),
    };
    // Several processes broadcast: the check against the versions last published and the
    // publish are one script, so publishes leave in version order and a snapshot goes out once,
    // however late a busy process gets to its push.
    const { channel, message } = this.emitter.encodeToRoom(dropId, DROP_EVENTS.stock, event);
    await this.redis.eval(
      PUBLISH_IF_NEWER_LUA,
      1,
      `${this.prefix}:drops:stock-pushed:${dropId}`,
      channel,
      message,
      PUSHED_MEMORY_MS,
      ...skus.flatMap((s) => [s.skuId, s.version]),
    );
  }
}
