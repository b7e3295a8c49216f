import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import { Coalescer } from './coalescer';
import { DropLiveRepository } from './drop-live.repository';
import { DROP_EVENTS, DropRoomEmitter } from './drop-room.emitter';

/** Each process re-announces its viewers this often… */
export const PRESENCE_HEARTBEAT_MS = 15_000;
/** …and a viewer not re-announced for this long (its process died) stops counting. */
export const PRESENCE_TTL_MS = 45_000;
/** `drop.viewers` is pushed at most this often per drop. */
export const VIEWERS_PUSH_INTERVAL_MS = 1_000;

/** The sorted set of a drop's viewers, scored by when a process last vouched for them. */
export const viewersKey = (prefix: string, dropId: string) => `${prefix}:drops:viewers:${dropId}`;

/** The drop's viewers across processes (approximate, see DropPresenceService). */
export const countViewers = (redis: RedisClient, prefix: string, dropId: string) =>
  redis.zcount(viewersKey(prefix, dropId), Date.now() - PRESENCE_TTL_MS, '+inf');

/** A viewer is a principal (member or staff), not a socket: two tabs count once per process. */
export const viewerKey = (principal: { type: string; id: string }) =>
  `${principal.type}:${principal.id}`;

interface DropViewers {
  brandId: string;
  /** viewer key → sockets of this process in the room. */
  sockets: Map<string, number>;
}

/**
 * Approximate presence (ADR 0015). Per drop, a Redis sorted set of viewer keys scored by the time
 * a process last vouched for them; the count is the members scored within PRESENCE_TTL_MS. A
 * process adds a viewer on its first socket, removes it on its last, and re-adds all of its
 * viewers every PRESENCE_HEARTBEAT_MS, so viewers of a process that died age out. Off by up to
 * the heartbeat window in that case, and a viewer with tabs on two processes may drop out for
 * one heartbeat when one tab leaves. Counts are pushed coalesced and the peak kept in
 * drops.peak_viewers.
 */
@Injectable()
export class DropPresenceService implements OnModuleDestroy {
  private readonly logger = new Logger(DropPresenceService.name);
  private readonly local = new Map<string, DropViewers>();
  private readonly peaks = new Map<string, number>();
  private readonly pushes: Coalescer;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly prefix: string;

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
    @Inject(DropLiveRepository) private readonly repo: DropLiveRepository,
    @Inject(DropRoomEmitter) private readonly emitter: DropRoomEmitter,
  ) {
    this.prefix = config.redis.prefix;
    this.pushes = new Coalescer(
      VIEWERS_PUSH_INTERVAL_MS,
      (dropId) => this.pushViewers(dropId),
      (dropId, error) => this.logger.warn({ err: error }, `drop ${dropId}: viewers push failed`),
    );
    this.heartbeat = setInterval(() => void this.beat(), PRESENCE_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    this.pushes.stop();
  }

  /** One more socket of `viewer` in the drop's room; resolves to the current viewer count. */
  async join(brandId: string, dropId: string, viewer: string): Promise<number> {
    let drop = this.local.get(dropId);
    if (!drop) {
      drop = { brandId, sockets: new Map() };
      this.local.set(dropId, drop);
    }
    const sockets = (drop.sockets.get(viewer) ?? 0) + 1;
    drop.sockets.set(viewer, sockets);
    const key = this.key(dropId);
    const now = Date.now();
    const [, , [, count]] = await this.exec(
      this.redis
        .multi()
        .zadd(key, now, viewer)
        .pexpire(key, PRESENCE_TTL_MS)
        .zcount(key, now - PRESENCE_TTL_MS, '+inf'),
    );
    this.pushes.mark(dropId);
    return Number(count);
  }

  /** One socket of `viewer` fewer in the room (leave or disconnect). */
  async leave(dropId: string, viewer: string): Promise<void> {
    const drop = this.local.get(dropId);
    const sockets = (drop?.sockets.get(viewer) ?? 0) - 1;
    if (!drop || sockets < 0) return;
    if (sockets > 0) {
      drop.sockets.set(viewer, sockets);
      return;
    }
    drop.sockets.delete(viewer);
    if (!drop.sockets.size) this.local.delete(dropId);
    await this.redis.zrem(this.key(dropId), viewer);
    this.pushes.mark(dropId);
  }

  count(dropId: string): Promise<number> {
    return countViewers(this.redis, this.prefix, dropId);
  }

  private key(dropId: string): string {
    return viewersKey(this.prefix, dropId);
  }

  private async pushViewers(dropId: string): Promise<void> {
    const viewers = await this.count(dropId);
    await this.emitter.toRoom(dropId, DROP_EVENTS.viewers, {
      dropId,
      viewers,
      at: new Date().toISOString(),
    });
    const brandId = this.local.get(dropId)?.brandId;
    if (brandId && viewers > (this.peaks.get(dropId) ?? 0)) {
      this.peaks.set(dropId, viewers);
      await this.repo.raisePeakViewers(brandId, dropId, viewers);
    }
  }

  /** Re-announces this process's viewers and trims the ones nobody vouched for. */
  private async beat(): Promise<void> {
    const now = Date.now();
    for (const [dropId, drop] of this.local) {
      const key = this.key(dropId);
      try {
        const multi = this.redis.multi();
        const viewers = [...drop.sockets.keys()];
        for (let i = 0; i < viewers.length; i += 1_000)
          multi.zadd(key, ...viewers.slice(i, i + 1_000).flatMap((v) => [now, v]));
        await this.exec(
          multi.zremrangebyscore(key, '-inf', now - PRESENCE_TTL_MS).pexpire(key, PRESENCE_TTL_MS),
        );
        this.pushes.mark(dropId);
      } catch (error) {
        this.logger.warn({ err: error }, `drop ${dropId}: presence heartbeat failed`);
      }
    }
  }

  private async exec(multi: ReturnType<RedisClient['multi']>): Promise<[Error | null, unknown][]> {
    const results = await multi.exec();
    if (!results) throw new Error('presence transaction aborted');
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
    return results;
  }
}
