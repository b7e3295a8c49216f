import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';

/** Reports one member may file per window (all targets together). */
export const REPORT_LIMIT = 10;
export const REPORT_WINDOW_MS = 10 * 60_000;

/**
 * Per-member fixed-window counter in Redis, shared by every api process: it stops a member from
 * flooding the queue (report bombing) whatever IP they come from.
 */
@Injectable()
export class ReportRateLimiter {
  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Counts one report; resolves to the seconds to wait when over the limit, else null. */
  async hit(brandId: string, memberId: string): Promise<number | null> {
    const key = `${this.config.redis.prefix}:moderation:reports:${brandId}:${memberId}`;
    const result = await this.redis
      .multi()
      .incr(key)
      .pexpire(key, REPORT_WINDOW_MS, 'NX')
      .pttl(key)
      .exec();
    const hits = Number(result?.[0]?.[1] ?? 0);
    const ttl = Number(result?.[2]?.[1] ?? REPORT_WINDOW_MS);
    return hits > REPORT_LIMIT ? Math.max(1, Math.ceil(ttl / 1000)) : null;
  }
}
