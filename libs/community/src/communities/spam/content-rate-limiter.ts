import { Inject, Injectable, Optional } from '@nestjs/common';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import { ContentRateLimitedError } from '../communities.errors';

export type RateLimitedContent = 'post' | 'comment';

export interface ContentRateLimits {
  post: { max: number; windowMs: number };
  comment: { max: number; windowMs: number };
}

/** Per member: 5 posts and 30 comments per 10 minutes (spam and points-farming brake). */
export const DEFAULT_CONTENT_RATE_LIMITS: ContentRateLimits = {
  post: { max: 5, windowMs: 10 * 60_000 },
  comment: { max: 30, windowMs: 10 * 60_000 },
};

/** Injection token to override the limits (integration tests). */
export const CONTENT_RATE_LIMITS = Symbol('CONTENT_RATE_LIMITS');

/**
 * Fixed-window counters in Redis shared by every api process. Attempts count, not successes: a
 * member hammering the endpoint with refused content is still a member hammering the endpoint.
 */
@Injectable()
export class ContentRateLimiter {
  private readonly limits: ContentRateLimits;

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Optional() @Inject(CONTENT_RATE_LIMITS) limits?: ContentRateLimits,
  ) {
    this.limits = limits ?? DEFAULT_CONTENT_RATE_LIMITS;
  }

  async consume(brandId: string, memberId: string, kind: RateLimitedContent): Promise<void> {
    const { max, windowMs } = this.limits[kind];
    const key = `${this.config.redis.prefix}:community:rl:${kind}:${brandId}:${memberId}`;
    // One MULTI: the first hit of a window sets its expiry (NX), later hits leave it alone.
    const results = await this.redis
      .multi()
      .incr(key)
      .pexpire(key, windowMs, 'NX')
      .pttl(key)
      .exec();
    const hits = Number(results?.[0]?.[1] ?? 0);
    const ttlMs = Number(results?.[2]?.[1] ?? windowMs);
    if (hits > max) throw new ContentRateLimitedError(kind, Math.max(1, Math.ceil(ttlMs / 1000)));
  }
}
