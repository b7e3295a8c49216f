import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DatabaseClient } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import {
  EFFECTS_TABLE,
  buildDrainer,
  countRows,
  createEffectsTable,
  effectConsumer,
  messageRow,
  waitFor,
} from '../../../test/support/outbox-testing';
import { OutboxPublisher } from './outbox.publisher';
import type { OutboxConsumer, OutboxMessage } from './outbox.types';

const BRAND = '11111111-1111-4111-8111-111111111111';

function recorder(name: string, topics: OutboxConsumer['topics'] = '*') {
  const seen: OutboxMessage[] = [];
  const consumer: OutboxConsumer = {
    name,
    topics,
    handle: async (message) => {
      seen.push(message);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return { consumer, seen };
}

describe('OutboxDrainer', () => {
  let ctx: TestContext;
  const publisher = new OutboxPublisher();
  const publish = (topic = 'test.topic', payload: Record<string, unknown> = {}) =>
    publisher.publish(ctx.db.db, BRAND, { topic, payload });
  /** Makes released messages due now instead of after their backoff. */
  const skipBackoff = () =>
    ctx.db.pool.query('update outbox_messages set available_at = now() where delivered_at is null');

  beforeAll(async () => {
    Logger.overrideLogger(false);
    ctx = await createTestContext({ OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_POLL_MS: '20' });
    await createEffectsTable(ctx.db);
  });
  afterAll(() => ctx.close());
  beforeEach(() =>
    ctx.db.pool.query(`truncate outbox_messages, processed_messages, ${EFFECTS_TABLE}`),
  );

  it('delivers each of 200 messages exactly once with two drainers racing', async () => {
    await publisher.publishMany(
      ctx.db.db,
      BRAND,
      Array.from({ length: 200 }, (_, n) => ({ topic: 'race', payload: { n } })),
    );
    const clients = [0, 1].map(
      () => new DatabaseClient({ connectionString: ctx.database.url, max: 4 }),
    );
    const deliveries = new Map<string, string[]>();
    const kits = clients.map((client) => {
      const kit = buildDrainer(ctx.config, client, [], { batchSize: 10 });
      kit.registry.register({
        name: 'counter',
        topics: ['race'],
        handle: async (message) => {
          deliveries.set(message.id, [...(deliveries.get(message.id) ?? []), kit.drainer.id]);
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
      });
      return kit;
    });
    try {
      const drainAll = async (kit: (typeof kits)[number]) => {
        let delivered = 0;
        for (let r = await kit.drainer.drainOnce(); r.claimed; r = await kit.drainer.drainOnce()) {
          delivered += r.delivered;
        }
        return delivered;
      };
      const perDrainer = await Promise.all(kits.map(drainAll));

      expect(deliveries.size).toBe(200);
      expect([...deliveries.values()].every((by) => by.length === 1)).toBe(true);
      expect(perDrainer[0] + perDrainer[1]).toBe(200);
      expect(perDrainer.every((n) => n > 0)).toBe(true);
      expect(
        await countRows(ctx.db, 'select 1 from outbox_messages where delivered_at is null'),
      ).toBe(0);
      expect(await countRows(ctx.db, 'select 1 from outbox_messages where attempts <> 1')).toBe(0);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('delivers to every consumer whose topics match, and marks messages without consumers done', async () => {
    const all = recorder('all');
    const members = recorder('members', ['member.*']);
    const orders = recorder('orders', ['order.placed']);
    const { drainer } = buildDrainer(ctx.config, ctx.db, [
      all.consumer,
      members.consumer,
      orders.consumer,
    ]);
    const registered = await publish('member.registered');
    const placed = await publish('order.placed');
    expect(await drainer.drainOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(all.seen.map((m) => m.id).sort()).toEqual([registered, placed].sort());
    expect(members.seen.map((m) => m.id)).toEqual([registered]);
    expect(orders.seen.map((m) => m.id)).toEqual([placed]);

    const { drainer: bare } = buildDrainer(ctx.config, ctx.db, []);
    const orphan = await publish('nobody.listens');
    expect(await bare.drainOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect((await messageRow(ctx.db, orphan)).delivered_at).toBeInstanceOf(Date);
  });

  it('retries only until every consumer succeeded; the idempotent one is skipped on retry', async () => {
    let failuresLeft = 1;
    const flaky: OutboxConsumer = {
      name: 'flaky',
      topics: '*',
      handle: () =>
        failuresLeft-- > 0 ? Promise.reject(new Error('webhook 503')) : Promise.resolve(),
    };
    const { drainer, registry, metrics } = buildDrainer(ctx.config, ctx.db, [
      (idempotent) => effectConsumer(idempotent),
      flaky,
    ]);
    const effects = registry.list()[0] as ReturnType<typeof effectConsumer>;
    const id = await publish();

    expect(await drainer.drainOnce()).toMatchObject({ claimed: 1, retried: 1 });
    const released = await messageRow(ctx.db, id);
    expect(released).toMatchObject({
      attempts: 1,
      delivered_at: null,
      locked_by: null,
      last_error: 'flaky: webhook 503',
    });
    // Backoff after attempt 1: min(2^1 s, 15 min) with equal jitter → due in 1–2 s.
    const { rows } = await ctx.db.pool.query<{ wait: number }>(
      'select extract(epoch from available_at - now())::float8 as wait from outbox_messages where id = $1',
      [id],
    );
    expect(rows[0].wait).toBeGreaterThan(0.8);
    expect(rows[0].wait).toBeLessThanOrEqual(2);
    expect(await drainer.drainOnce()).toMatchObject({ claimed: 0 });

    await skipBackoff();
    expect(await drainer.drainOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(effects.applied).toEqual([id]);
    expect(effects.skipped).toEqual([id]);
    expect(await countRows(ctx.db, `select 1 from ${EFFECTS_TABLE}`)).toBe(1);
    expect(await messageRow(ctx.db, id)).toMatchObject({ attempts: 2, last_error: null });

    const registry2 = new Registry();
    metrics.register(registry2, () =>
      Promise.resolve({ pending: 0, dead: 0, oldestPendingAgeSeconds: 0 }),
    );
    const text = await registry2.metrics();
    expect(text).toContain('outbox_delivery_failures_total{consumer="flaky"} 1');
    expect(text).toContain('outbox_delivered_total{topic="test.topic"} 1');
  });

  it('dead-letters a message after OUTBOX_MAX_ATTEMPTS failed deliveries', async () => {
    let calls = 0;
    const { drainer, repository } = buildDrainer(ctx.config, ctx.db, [
      {
        name: 'broken',
        topics: '*',
        handle: () => Promise.reject(new Error(`bad payload ${++calls}`)),
      },
    ]);
    const id = await publish();
    expect(await drainer.drainOnce()).toMatchObject({ retried: 1 });
    await skipBackoff();
    expect(await drainer.drainOnce()).toMatchObject({ retried: 1 });
    await skipBackoff();
    expect(await drainer.drainOnce()).toMatchObject({ dead: 1 });
    await skipBackoff();
    expect(await drainer.drainOnce()).toMatchObject({ claimed: 0 });

    expect(calls).toBe(3);
    const row = await messageRow(ctx.db, id);
    expect(row).toMatchObject({
      attempts: 3,
      delivered_at: null,
      last_error: 'broken: bad payload 3',
    });
    expect(row.dead_at).toBeInstanceOf(Date);
    expect(await repository.stats()).toMatchObject({ pending: 0, dead: 1 });
  });

  it('dead-letters without delivering when the last attempt never reported back (crash loop)', async () => {
    const spy = recorder('spy');
    const { drainer } = buildDrainer(ctx.config, ctx.db, [spy.consumer]);
    const id = await publish();
    // Three claims whose drainers died: attempts is at the maximum and the lease is over.
    await ctx.db.pool.query(`update outbox_messages set attempts = 3 where id = $1`, [id]);
    expect(await drainer.drainOnce()).toMatchObject({ claimed: 1, dead: 1 });
    expect(spy.seen).toEqual([]);
    expect((await messageRow(ctx.db, id)).last_error).toMatch(/exceeds the maximum of 3/);
  });

  it('fails a consumer that outlives the lease and aborts its signal', async () => {
    let aborted = false;
    const { drainer } = buildDrainer(
      ctx.config,
      ctx.db,
      [
        {
          name: 'slow',
          topics: '*',
          handle: (_message, { signal }) =>
            new Promise<void>((resolve) =>
              signal.addEventListener('abort', () => {
                aborted = true;
                setTimeout(resolve, 50); // resolving late does not undo the failure
              }),
            ),
        },
      ],
      { leaseMs: 600 },
    );
    const id = await publish();
    expect(await drainer.drainOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect(aborted).toBe(true);
    expect((await messageRow(ctx.db, id)).last_error).toMatch(
      /slow: not finished within the 600 ms lease/,
    );
  });

  it('polls in the background and, when stopped, finishes in-flight messages', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const { drainer } = buildDrainer(
      ctx.config,
      ctx.db,
      [
        {
          name: 'gated',
          topics: ['gated'],
          handle: async (message) => {
            started.push(message.id);
            await gate;
          },
        },
      ],
      { concurrency: 1 },
    );
    drainer.start();
    expect(drainer.running).toBe(true);
    try {
      const quick = await publish();
      await waitFor(
        'the polling loop to deliver',
        async () => (await messageRow(ctx.db, quick)).delivered_at,
      );

      // One insert, so one round claims both; with concurrency 1 only the first starts.
      const [first, second] = await publisher.publishMany(ctx.db.db, BRAND, [
        { topic: 'gated', payload: { n: 1 } },
        { topic: 'gated', payload: { n: 2 } },
      ]);
      await waitFor('the gated delivery to start', () => started.length === 1);
      expect(await messageRow(ctx.db, second)).toMatchObject({
        locked_by: drainer.id,
        attempts: 1,
      });

      const stopped = drainer.stop();
      expect(drainer.running).toBe(false);
      release();
      await stopped;
      // The in-flight message was finished; the unstarted one went back uncounted.
      expect((await messageRow(ctx.db, first)).delivered_at).toBeInstanceOf(Date);
      expect(started).toEqual([first]);
      expect(await messageRow(ctx.db, second)).toMatchObject({
        delivered_at: null,
        locked_by: null,
        attempts: 0,
      });
    } finally {
      release();
      await drainer.stop();
    }
  });
});
