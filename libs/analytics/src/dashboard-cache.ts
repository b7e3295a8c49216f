import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import { AnalyticsService, type Dashboard } from './analytics.service';

/** How long a computed dashboard is served from Redis. */
export const DASHBOARD_CACHE_SECONDS = 60;
const MINUTE = 60_000;

/**
 * The dashboard as the console asks for it: a full computation reads up to a few million rows, so
 * a result is kept in Redis for DASHBOARD_CACHE_SECONDS (shared by every api process) and
 * concurrent identical requests in a process share one computation. A default window ends at the
 * current minute, so repeated default requests hit the same entry.
 */
@Injectable()
export class DashboardCache {
  private readonly inFlight = new Map<string, Promise<Dashboard>>();

  constructor(
    @Inject(AnalyticsService) private readonly analytics: AnalyticsService,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async dashboard(
    brandId: string,
    query: { from?: Date; to?: Date },
    now = new Date(),
  ): Promise<Dashboard> {
    const minute = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
    const range = this.analytics.range(query.from, query.to ?? minute, minute);
    const key = `${this.config.redis.prefix}:analytics:dashboard:${brandId}:${range.from.toISOString()}:${range.to.toISOString()}`;
    const cached = await this.redis.get(key);
    if (cached) return JSON.parse(cached) as Dashboard;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.analytics
        .dashboard(brandId, range, now)
        .then(async (dashboard) => {
          await this.redis.set(key, JSON.stringify(dashboard), 'EX', DASHBOARD_CACHE_SECONDS);
          return dashboard;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }
}
