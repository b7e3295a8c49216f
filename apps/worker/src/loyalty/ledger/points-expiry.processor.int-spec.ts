import { BullModule, getQueueToken } from '@nestjs/bull';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bull';
import { QUEUES, RedisModule, createRedis } from '@app/common';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { LedgerInvariants, LedgerService, POINTS_EXPIRY_JOBS } from '@app/loyalty';
import { OutboxModule } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import { seedBrand, seedMember } from '../../../../../test/support/ledger-testing';
import { LedgerJobsModule } from '../ledger-jobs.module';
import { POINTS_EXPIRY_EVERY_MS } from './points-expiry.processor';

describe('points-expiry queue (bull + Postgres)', () => {
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
        OutboxModule,
        BullModule.forRoot({ redis: ctx.config.redis.url, prefix: ctx.config.redis.prefix }),
        BullModule.registerQueue({ name: QUEUES.pointsExpiry }),
        LedgerJobsModule,
      ],
    }).compile();
    await moduleRef.init();
    queue = moduleRef.get<Queue>(getQueueToken(QUEUES.pointsExpiry));
  });

  afterAll(async () => {
    await moduleRef?.close();
    const redis = createRedis(ctx.config);
    const keys = await redis.keys(`${ctx.config.redis.prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await ctx?.close();
  });

  it('schedules the hourly sweep and warnings, and runs a sweep on demand', async () => {
    const repeatable = await queue.getRepeatableJobs();
    expect(repeatable.map((j) => [j.name, Number(j.every)]).sort()).toEqual([
      [POINTS_EXPIRY_JOBS.sweep, POINTS_EXPIRY_EVERY_MS],
      [POINTS_EXPIRY_JOBS.warn, POINTS_EXPIRY_EVERY_MS],
    ]);

    const ledger = moduleRef.get(LedgerService);
    const brandId = await seedBrand(moduleRef);
    const memberId = await seedMember(moduleRef, brandId);
    const earned = await ledger.earn(brandId, memberId, {
      points: 25,
      reason: 'signup',
      source: 'rule',
      actor: { type: 'system' },
      dedupeKey: 'signup',
    });
    const after = new Date(earned.lot!.expiresAt!.getTime() + 1000);
    const job = await queue.add(POINTS_EXPIRY_JOBS.sweep, { now: after.toISOString() });
    const result = (await job.finished()) as { members: number; points: number };
    expect(result).toMatchObject({ members: 1, points: 25 });
    expect(await ledger.balance(brandId, memberId)).toMatchObject({ balance: 0 });
    expect(await moduleRef.get(LedgerInvariants).check(brandId)).toEqual([]);
  });
});
