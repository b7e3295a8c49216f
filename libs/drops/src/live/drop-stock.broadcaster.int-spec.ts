import Redis from 'ioredis';
import { testConfig } from '@app/testing';
import { PUBLISH_IF_NEWER_LUA } from './drop-stock.broadcaster';

/** The publish step of the stock broadcaster, shared by every process that broadcasts. */
describe('stock publish: newer snapshots only, in order (Redis)', () => {
  const config = testConfig('postgres://unused/none');
  const redis = new Redis(config.redis.url);
  const subscriber = new Redis(config.redis.url);
  const channel = `${config.redis.prefix}:stock-test`;
  const key = `${config.redis.prefix}:drops:stock-pushed:test`;
  const received: string[] = [];

  beforeAll(async () => {
    await subscriber.subscribe(channel);
    subscriber.on('message', (_channel: string, message: string) => received.push(message));
  });

  afterAll(async () => {
    await redis.del(key);
    subscriber.disconnect();
    redis.disconnect();
  });

  const publish = (label: string, versions: Record<string, number>) =>
    redis.eval(
      PUBLISH_IF_NEWER_LUA,
      1,
      key,
      channel,
      label,
      60_000,
      ...Object.entries(versions).flat(),
    );

  it('publishes a snapshot once, never one older than the last published for any SKU', async () => {
    expect(await publish('v2', { A: 2, B: 5 })).toBe(1);
    // A process that read its snapshot earlier and got to publish it late.
    expect(await publish('v1', { A: 1, B: 5 })).toBe(0);
    // The same snapshot from a second process.
    expect(await publish('v2 again', { A: 2, B: 5 })).toBe(0);
    expect(await publish('v3', { A: 2, B: 6 })).toBe(1);
    // Newer for one SKU but older for another: a mix no single moment had; refused.
    expect(await publish('mixed', { A: 3, B: 4 })).toBe(0);
    // A SKU seen for the first time counts as newer.
    expect(await publish('v4', { A: 2, B: 6, C: 1 })).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual(['v2', 'v3', 'v4']);
  });
});
