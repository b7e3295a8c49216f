import type { TestingModule } from '@nestjs/testing';
import { DomainError, RedisClient } from '@app/common';
import { BrandsService, MembersService } from '@app/identity';
import { createTestContext, type TestContext } from '@app/testing';
import { createBrandWithOwner, uniqueEmail } from '../../../../test/support/factories';
import { dropInput, startDropsModule } from '../../../../test/support/drop-factories';
import { DropsErrorCode } from '../drops/drops.errors';
import { DropsService } from '../drops/drops.service';
import { DropStockStore } from './drop-stock.store';
import { ReservationsService } from './reservations.service';

/** Attempt limits counted inside the reservation script: 3 per member, 5 per address. */
describe('Reservation attempt limits (Redis script)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let reservations: ReservationsService;
  let stock: DropStockStore;
  let brandId: string;
  let dropId: string;
  let memberIds: string[];

  beforeAll(async () => {
    ctx = await createTestContext({
      DROP_RESERVATION_RATE_MAX: '3',
      DROP_RESERVATION_RATE_WINDOW_MS: '60000',
      RATE_LIMIT_MAX: '5',
      RATE_LIMIT_WINDOW_MS: '60000',
    });
    moduleRef = await startDropsModule(ctx.config);
    reservations = moduleRef.get(ReservationsService);
    stock = moduleRef.get(DropStockStore);
    const { brand, owner } = await createBrandWithOwner(moduleRef.get(BrandsService));
    brandId = brand.id;
    const drops = moduleRef.get(DropsService);
    const actor = { brandId, id: owner.id, requestId: 'test' };
    const drop = await drops.create(actor, dropInput());
    await drops.schedule(actor, drop.id);
    dropId = drop.id;
    const members = moduleRef.get(MembersService);
    memberIds = [];
    for (let i = 0; i < 12; i++)
      memberIds.push(
        (await members.register(brandId, { email: uniqueEmail('m'), password: 'correct-horse-1' }))
          .id,
      );
  }, 60_000);

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  /** 'ok', the refusal's code, or `limited:<scope>`. */
  const attempt = (memberId: string, clientIp: string | null, skuId = 'NOPE') =>
    reservations
      .reserve(brandId, memberId, dropId, {
        skuId,
        quantity: 1,
        idempotencyKey: `k-${Math.random()}`,
        clientIp,
      })
      .then(
        () => 'ok',
        (error: unknown) => {
          if (!(error instanceof DomainError)) return String(error);
          if (error.code !== String(DropsErrorCode.RateLimited)) return error.code;
          const { scope, retryAfterSeconds } = error.details as {
            scope: string;
            retryAfterSeconds: number;
          };
          expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
          expect(retryAfterSeconds).toBeLessThanOrEqual(60);
          return `limited:${scope}`;
        },
      );

  it('limits attempts per member, whatever the address and the outcome', async () => {
    const results = [];
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'])
      results.push(await attempt(memberIds[0], ip));
    expect(results).toEqual([
      DropsErrorCode.SkuNotFound,
      DropsErrorCode.SkuNotFound,
      DropsErrorCode.SkuNotFound,
      'limited:member',
    ]);
    // Once limited, even a valid request is refused before touching the stock.
    expect(await attempt(memberIds[0], '10.0.0.5', 'SKU-1')).toBe('limited:member');
    const [sku] = await stock.snapshot(brandId, dropId);
    expect(sku.held).toBe(0);
  });

  it('limits attempts per address, whatever the member', async () => {
    const results = [];
    for (let i = 1; i <= 6; i++) results.push(await attempt(memberIds[i], '10.9.9.9'));
    expect(results.slice(0, 5)).toEqual(Array(5).fill(DropsErrorCode.SkuNotFound));
    expect(results[5]).toBe('limited:ip');
  });

  it('an internal caller has no address limit; internal retries (a rebuild) count once', async () => {
    // Three attempts, each finding the drop's stock state gone (the counters stay) and retrying
    // after the rebuild: were the retries counted, the member would be limited on the second.
    const redis = moduleRef.get(RedisClient);
    const meta = `${ctx.config.redis.prefix}:drop:{${brandId}:${dropId}}:meta`;
    const results = [];
    for (let i = 0; i < 3; i++) {
      expect(await redis.del(meta)).toBe(1);
      results.push(await attempt(memberIds[7], null));
    }
    expect(results).toEqual([
      DropsErrorCode.SkuNotFound,
      DropsErrorCode.SkuNotFound,
      DropsErrorCode.SkuNotFound,
    ]);
    for (let i = 8; i < 12; i++)
      expect(await attempt(memberIds[i], null)).toBe(DropsErrorCode.SkuNotFound);
  });
});
