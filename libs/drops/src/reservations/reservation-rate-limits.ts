import { Inject, Injectable, Optional } from '@nestjs/common';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import { ReservationRateLimitedError } from '../drops/drops.errors';

export interface ReservationRateLimits {
  member: { max: number; windowMs: number };
  /** null: the API's general per-IP limit (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS). */
  ip: { max: number; windowMs: number } | null;
}

/** Per member: 20 attempts per 10 s (a human clicking fast is far below; a script is not). */
export const DEFAULT_RESERVATION_RATE_LIMITS: ReservationRateLimits = {
  member: { max: 20, windowMs: 10_000 },
  ip: null,
};

/** Injection token to override the limits. */
export const RESERVATION_RATE_LIMITS = Symbol('RESERVATION_RATE_LIMITS');

/**
 * Fixed-window counters of reservation attempts in Redis, shared by every api process, per
 * member and per client IP; attempts count whatever their outcome.
 */
@Injectable()
export class ReservationRateLimiter {
  private readonly limits: ReservationRateLimits;

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Optional() @Inject(RESERVATION_RATE_LIMITS) limits?: ReservationRateLimits,
  ) {
    this.limits = limits ?? DEFAULT_RESERVATION_RATE_LIMITS;
  }

  async consume(brandId: string, memberId: string, ip: string): Promise<void> {
    const ipLimit = this.limits.ip ?? {
      max: this.config.rateLimit.max,
      windowMs: this.config.rateLimit.windowMs,
    };
    const prefix = `${this.config.redis.prefix}:drops:rl`;
    const windows = [
      {
        scope: 'member' as const,
        key: `${prefix}:m:${brandId}:${memberId}`,
        ...this.limits.member,
      },
      { scope: 'ip' as const, key: `${prefix}:ip:${ip}`, ...ipLimit },
    ];
    const multi = this.redis.multi();
    for (const w of windows) multi.incr(w.key).pexpire(w.key, w.windowMs, 'NX').pttl(w.key);
    const results = (await multi.exec()) ?? [];
    for (const [i, w] of windows.entries()) {
      const hits = Number(results[i * 3]?.[1] ?? 0);
      const ttlMs = Number(results[i * 3 + 2]?.[1] ?? w.windowMs);
      if (hits > w.max)
        throw new ReservationRateLimitedError(w.scope, Math.max(1, Math.ceil(ttlMs / 1000)));
    }
  }
}
