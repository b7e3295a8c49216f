import { randomUUID } from 'node:crypto';
import { BullModule, getQueueToken } from '@nestjs/bull';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bull';
import { QUEUES, RedisModule, createRedis } from '@app/common';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import { AnalyticsJobsModule } from './analytics-jobs.module';
import {
  ANALYTICS_ROLLUP_ALL_JOB,
  ANALYTICS_ROLLUP_BRAND_JOB,
  ANALYTICS_ROLLUP_EVERY_MS,
} from './analytics-rollup.processor';

describe('analytics-rollup queue (bull + Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let queue: Queue;

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        RedisModule,
        BullModule.forRoot({ redis: ctx.config.redis.url, prefix: ctx.config.redis.prefix }),
        BullModule.registerQueue({ name: QUEUES.analyticsRollup }),
        AnalyticsJobsModule,
      ],
    }).compile();
    await moduleRef.init();
    queue = moduleRef.get<Queue>(getQueueToken(QUEUES.analyticsRollup));
  });

  afterAll(async () => {
    await moduleRef?.close();
    const redis = createRedis(ctx.config);
    const keys = await redis.keys(`${ctx.config.redis.prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await ctx?.close();
  });

  it('schedules the refresh and rolls up every brand up to today', async () => {
    const repeatable = await queue.getRepeatableJobs();
    expect(repeatable.map((j) => [j.name, Number(j.every)])).toEqual([
      [ANALYTICS_ROLLUP_ALL_JOB, ANALYTICS_ROLLUP_EVERY_MS],
    ]);

    const brandId = randomUUID();
    const memberId = randomUUID();
    const q = (text: string, params: unknown[]) => ctx.db.pool.query(text, params);
    await q(`insert into brands (id, slug, name) values ($1, $2, $2)`, [brandId, `rj-${brandId}`]);
    await q(`insert into members (brand_id, id, referral_code) values ($1, $2, 'RJ1')`, [
      brandId,
      memberId,
    ]);
    await q(
      `insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel, placed_at)
       values ($1, 'o1', $2, 'USD', 2500, 'online', now() - interval '3 days')`,
      [brandId, memberId],
    );

    const all = await queue.add(ANALYTICS_ROLLUP_ALL_JOB, {});
    expect(await all.finished()).toMatchObject({ failed: 0 });
    const state = await q(
      `select through_day = (now() at time zone 'UTC')::date as today from analytics_rollup_state
        where brand_id = $1`,
      [brandId],
    );
    expect(state.rows).toEqual([{ today: true }]);
    const daily = await q(
      `select orders, revenue_minor::int as revenue from analytics_daily where brand_id = $1`,
      [brandId],
    );
    expect(daily.rows).toEqual([{ orders: 1, revenue: 2500 }]);

    const rebuilt = await queue.add(ANALYTICS_ROLLUP_BRAND_JOB, { brandId, rebuild: true });
    expect(await rebuilt.finished()).toMatchObject({ rebuilt: true, days: 3 });
  });
});
