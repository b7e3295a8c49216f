import { Test, type TestingModule } from '@nestjs/testing';
import { DomainError, RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { testConfig } from '@app/testing';
import { DropsErrorCode } from '../drops/drops.errors';
import { RESERVATION_RATE_LIMITS, ReservationRateLimiter } from './reservation-rate-limiter';

const attempt = (limiter: ReservationRateLimiter, member: string, ip: string) =>
  limiter.consume('brand', member, ip).then(
    () => 'ok',
    (error: unknown) =>
      error instanceof DomainError && error.code === String(DropsErrorCode.RateLimited)
        ? `limited:${(error.details as { scope: string }).scope}`
        : String(error),
  );

describe('ReservationRateLimiter (Redis)', () => {
  let moduleRef: TestingModule;
  let limiter: ReservationRateLimiter;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig('postgres://unused/none')), RedisModule],
      providers: [
        ReservationRateLimiter,
        {
          provide: RESERVATION_RATE_LIMITS,
          useValue: { member: { max: 3, windowMs: 60_000 }, ip: { max: 5, windowMs: 60_000 } },
        },
      ],
    }).compile();
    await moduleRef.init();
    limiter = moduleRef.get(ReservationRateLimiter);
  });

  afterAll(async () => {
    await moduleRef?.close();
  });

  it('limits attempts per member, whatever the address', async () => {
    const results = [];
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'])
      results.push(await attempt(limiter, 'member-a', ip));
    expect(results).toEqual(['ok', 'ok', 'ok', 'limited:member']);
  });

  it('limits attempts per address, whatever the member', async () => {
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await attempt(limiter, `member-${i}`, '10.9.9.9'));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'limited:ip']);
  });
});
