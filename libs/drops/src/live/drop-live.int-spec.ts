import { Test, type TestingModule } from '@nestjs/testing';
import { RedisClient, RedisModule } from '@app/common';
import { AppConfig, ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { OutboxModule, SocketEmitter } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import { CHAT_RATE_LIMIT, ChatRateLimiter } from './chat-rate-limiter';
import { DropLiveRepository } from './drop-live.repository';
import { DropPresenceService, PRESENCE_TTL_MS } from './drop-presence.service';
import { DropRoomEmitter } from './drop-room.emitter';
import { ChatRateLimitedError } from './live.errors';

/** Presence and the chat bucket against the real Redis (and Postgres for the peak counter). */
describe('live room presence and chat rate limit (integration)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let presence: DropPresenceService;
  let limiter: ChatRateLimiter;
  let redis: RedisClient;
  const brandId = '00000000-0000-4000-8000-000000000001';

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(ctx.config), DbModule, RedisModule, OutboxModule],
      providers: [
        SocketEmitter,
        DropRoomEmitter,
        DropLiveRepository,
        DropPresenceService,
        ChatRateLimiter,
        { provide: CHAT_RATE_LIMIT, useValue: { perSecond: 2, burst: 3 } },
      ],
    }).compile();
    await moduleRef.init();
    presence = moduleRef.get(DropPresenceService);
    limiter = moduleRef.get(ChatRateLimiter);
    redis = moduleRef.get(RedisClient);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('counts viewers (principals, not tabs) and forgets them on their last leave', async () => {
    const dropId = 'presence-a';
    expect(await presence.join(brandId, dropId, 'member:1')).toBe(1);
    expect(await presence.join(brandId, dropId, 'member:2')).toBe(2);
    expect(await presence.join(brandId, dropId, 'member:2')).toBe(2); // second tab
    await presence.leave(dropId, 'member:2');
    expect(await presence.count(dropId)).toBe(2);
    await presence.leave(dropId, 'member:2');
    expect(await presence.count(dropId)).toBe(1);
    await presence.leave(dropId, 'member:2'); // one leave too many changes nothing
    expect(await presence.count(dropId)).toBe(1);
  });

  it('does not count viewers nobody vouched for within the TTL (a dead process)', async () => {
    const dropId = 'presence-b';
    const key = `${moduleRef.get(AppConfig).redis.prefix}:drops:viewers:${dropId}`;
    await redis.zadd(key, Date.now() - PRESENCE_TTL_MS - 1_000, 'member:ghost');
    expect(await presence.join(brandId, dropId, 'member:alive')).toBe(1);
    expect(await presence.count(dropId)).toBe(1);
  });

  it('chat bucket: a burst, then refused with the wait, then refilled', async () => {
    const take = () => limiter.consume(brandId, 'drop-rl', 'member:1');
    for (let i = 0; i < 3; i += 1) await take();
    const refused = await take().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ChatRateLimitedError);
    const wait = (refused as ChatRateLimitedError).details?.retryAfterMs as number;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(500);
    await new Promise((resolve) => setTimeout(resolve, wait + 20));
    await expect(take()).resolves.toBeUndefined();
    // Another member has a bucket of their own.
    await expect(limiter.consume(brandId, 'drop-rl', 'member:2')).resolves.toBeUndefined();
  });
});
