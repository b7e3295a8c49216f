import { DatabaseClient } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import { countRows, messageRow, waitFor } from '../../../test/support/outbox-testing';
import { OutboxPublisher } from './outbox.publisher';
import { OutboxRepository } from './outbox.repository';

const BRAND = '11111111-1111-4111-8111-111111111111';
const LONG_LEASE = 60_000;

describe('OutboxRepository', () => {
  let ctx: TestContext;
  let repository: OutboxRepository;
  const publisher = new OutboxPublisher();

  const publish = (topic = 'test.topic', availableAt?: Date) =>
    publisher.publish(ctx.db.db, BRAND, { topic, payload: { topic }, availableAt });

  beforeAll(async () => {
    ctx = await createTestContext();
    repository = new OutboxRepository(ctx.db);
  });
  afterAll(() => ctx.close());
  beforeEach(() => ctx.db.pool.query('truncate outbox_messages, processed_messages'));

  it('claims due messages with a lease, an owner and a counted attempt', async () => {
    const id = await publisher.publish(ctx.db.db, BRAND, {
      topic: 'member.registered',
      key: 'member:1',
      payload: { memberId: '1' },
      headers: { realtime: 'key' },
    });
    const [claimed, ...rest] = await repository.claim('d1', 10, LONG_LEASE);
    expect(rest).toEqual([]);
    expect(claimed).toMatchObject({
      brandId: BRAND,
      id,
      topic: 'member.registered',
      key: 'member:1',
      payload: { memberId: '1' },
      headers: { realtime: 'key' },
      attempts: 1,
      lockedBy: 'd1',
    });
    const row = await messageRow(ctx.db, id);
    expect(row).toMatchObject({ attempts: 1, locked_by: 'd1' });
    expect(row.locked_until!.getTime() - Date.now()).toBeGreaterThan(LONG_LEASE - 5000);
  });

  it('does not claim leased, scheduled, delivered or dead messages', async () => {
    const leased = await publish();
    await repository.claim('d1', 10, LONG_LEASE);
    await publish('later', new Date(Date.now() + 3_600_000));
    const delivered = await publish();
    const dead = await publish();
    for (const message of await repository.claim('d2', 10, LONG_LEASE)) {
      if (message.id === delivered) await repository.markDelivered(message);
      if (message.id === dead) await repository.markDead(message, 'gone');
    }
    expect(await repository.claim('d3', 10, LONG_LEASE)).toEqual([]);
    expect(await messageRow(ctx.db, leased)).toMatchObject({ locked_by: 'd1', attempts: 1 });
  });

  it('hands concurrent claimers disjoint batches (FOR UPDATE SKIP LOCKED)', async () => {
    await publisher.publishMany(
      ctx.db.db,
      BRAND,
      Array.from({ length: 200 }, (_, n) => ({ topic: 'race', payload: { n } })),
    );
    const clients = [0, 1, 2, 3].map(
      () => new DatabaseClient({ connectionString: ctx.database.url, max: 2 }),
    );
    try {
      const owner = new Map<string, string>();
      const claimUntilEmpty = async (repo: OutboxRepository, name: string) => {
        for (
          let batch = await repo.claim(name, 7, LONG_LEASE);
          batch.length;
          batch = await repo.claim(name, 7, LONG_LEASE)
        ) {
          for (const { id } of batch) {
            expect(owner.get(id)).toBeUndefined();
            owner.set(id, name);
          }
        }
      };
      await Promise.all(
        clients.map((client, n) => claimUntilEmpty(new OutboxRepository(client), `d${n}`)),
      );
      expect(owner.size).toBe(200);
      expect(new Set(owner.values()).size).toBeGreaterThan(1);
      expect(await countRows(ctx.db, 'select 1 from outbox_messages where attempts <> 1')).toBe(0);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('makes a claimed-but-unfinished message claimable again once its lease expires', async () => {
    const id = await publish();
    const [first] = await repository.claim('crashed', 10, 300);
    expect(await repository.claim('other', 10, LONG_LEASE)).toEqual([]);

    const second = await waitFor('the lease to expire', () =>
      repository.claim('other', 10, LONG_LEASE).then((batch) => batch[0]),
    );
    expect(second).toMatchObject({ id, attempts: 2, lockedBy: 'other' });

    // The first owner comes back late: its writes are fenced off.
    expect(await repository.markDelivered(first)).toBe(false);
    expect(await repository.release(first, 'late', 0)).toBe(false);
    expect(await repository.markDead(first, 'late')).toBe(false);
    expect(await repository.unclaim(first)).toBe(false);
    expect(await repository.markDelivered(second)).toBe(true);
    const row = await messageRow(ctx.db, id);
    expect(row).toMatchObject({ attempts: 2, locked_by: 'other', locked_until: null });
    expect(row.delivered_at).toBeInstanceOf(Date);
  });

  it('releases with a delay and the error, and unclaims without counting the attempt', async () => {
    const id = await publish();
    const [claimed] = await repository.claim('d1', 10, LONG_LEASE);
    expect(await repository.release(claimed, 'x'.repeat(5000), 60_000)).toBe(true);
    const { rows } = await ctx.db.pool.query<{
      wait: number;
      last_error: string;
      locked_by: string | null;
    }>(
      `select extract(epoch from available_at - now())::float8 as wait, last_error, locked_by
         from outbox_messages where id = $1`,
      [id],
    );
    expect(rows[0].wait).toBeGreaterThan(55);
    expect(rows[0].wait).toBeLessThanOrEqual(60);
    expect(rows[0].last_error.length).toBeLessThanOrEqual(2000);
    expect(rows[0].locked_by).toBeNull();
    expect(await repository.claim('d1', 10, LONG_LEASE)).toEqual([]);

    const other = await publish();
    const [again] = await repository.claim('d1', 10, LONG_LEASE);
    expect(await repository.unclaim(again)).toBe(true);
    expect(await messageRow(ctx.db, other)).toMatchObject({
      attempts: 0,
      locked_by: null,
      locked_until: null,
    });
  });

  it('revives a dead message with a fresh attempt budget', async () => {
    const id = await publish();
    const [claimed] = await repository.claim('d1', 10, LONG_LEASE);
    await repository.markDead(claimed, 'poison');
    expect(await repository.revive(BRAND, id)).toBe(true);
    expect(await repository.claim('d1', 10, LONG_LEASE)).toMatchObject([{ id, attempts: 1 }]);
  });

  it('reports pending, dead and the age of the oldest due message', async () => {
    expect(await repository.stats()).toEqual({ pending: 0, dead: 0, oldestPendingAgeSeconds: 0 });
    const old = await publish();
    await ctx.db.pool.query(
      `update outbox_messages set available_at = now() - interval '90 seconds' where id = $1`,
      [old],
    );
    await publish('later', new Date(Date.now() + 3_600_000));
    const doomed = await publish();
    await ctx.db.pool.query(
      `update outbox_messages set available_at = now() - interval '1 hour' where id = $1`,
      [doomed],
    );
    const [claimed] = await repository.claim('d1', 1, LONG_LEASE);
    expect(claimed.id).toBe(doomed);
    await repository.markDead(claimed, 'poison');

    const stats = await repository.stats();
    expect(stats).toMatchObject({ pending: 2, dead: 1 });
    expect(stats.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(90);
    expect(stats.oldestPendingAgeSeconds).toBeLessThan(120);
  });

  it('records a processed message once per consumer', async () => {
    const id = await publish();
    expect(await repository.isProcessed('a', id)).toBe(false);
    expect(await repository.recordProcessed(ctx.db.db, 'a', id)).toBe(true);
    expect(await repository.recordProcessed(ctx.db.db, 'a', id)).toBe(false);
    expect(await repository.recordProcessed(ctx.db.db, 'b', id)).toBe(true);
    expect(await repository.isProcessed('a', id)).toBe(true);
  });
});
