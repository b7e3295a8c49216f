import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '@app/testing';
import { EFFECTS_TABLE, countRows, createEffectsTable } from '../../../test/support/outbox-testing';
import { IdempotentConsumer } from './idempotent-consumer';
import { OutboxRepository } from './outbox.repository';

const MESSAGE = '55555555-5555-4555-8555-555555555555';

describe('IdempotentConsumer', () => {
  let ctx: TestContext;
  let idempotent: IdempotentConsumer;

  const insertEffect =
    (consumer: string) => (tx: Parameters<Parameters<IdempotentConsumer['runOnce']>[2]>[0]) =>
      tx.execute(sql`
      insert into ${sql.identifier(EFFECTS_TABLE)} (consumer, message_id, attempt, drainer_id)
      values (${consumer}, ${MESSAGE}, 1, 'test')`);
  const effects = (consumer: string) =>
    countRows(ctx.db, `select 1 from ${EFFECTS_TABLE} where consumer = $1`, [consumer]);

  beforeAll(async () => {
    ctx = await createTestContext();
    await createEffectsTable(ctx.db);
    idempotent = new IdempotentConsumer(ctx.db, new OutboxRepository(ctx.db));
  });
  afterAll(() => ctx.close());

  it('applies the effect once when called twice with the same message id', async () => {
    const first = await idempotent.runOnce('twice', MESSAGE, async (tx) => {
      await insertEffect('twice')(tx);
      return 'done';
    });
    const second = await idempotent.runOnce('twice', MESSAGE, async (tx) => {
      await insertEffect('twice')(tx);
      return 'done';
    });
    expect(first).toEqual({ applied: true, result: 'done' });
    expect(second).toEqual({ applied: false });
    expect(await effects('twice')).toBe(1);
    expect(
      await countRows(ctx.db, `select 1 from processed_messages where consumer = 'twice'`),
    ).toBe(1);
  });

  it('applies once when two deliveries race (the second waits for the first to commit)', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        idempotent.runOnce('race', MESSAGE, async (tx) => {
          await insertEffect('race')(tx);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }),
      ),
    );
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    expect(await effects('race')).toBe(1);
  });

  it('keeps each consumer separate: the same message applies once per consumer', async () => {
    await idempotent.runOnce('left', MESSAGE, insertEffect('left'));
    await idempotent.runOnce('right', MESSAGE, insertEffect('right'));
    expect(await effects('left')).toBe(1);
    expect(await effects('right')).toBe(1);
  });

  it('records nothing when the effect fails, so the next delivery applies it', async () => {
    await expect(
      idempotent.runOnce('flaky', MESSAGE, async (tx) => {
        await insertEffect('flaky')(tx);
        throw new Error('downstream failed');
      }),
    ).rejects.toThrow('downstream failed');
    expect(await effects('flaky')).toBe(0);
    expect(
      await countRows(ctx.db, `select 1 from processed_messages where consumer = 'flaky'`),
    ).toBe(0);
    expect(await idempotent.runOnce('flaky', MESSAGE, insertEffect('flaky'))).toMatchObject({
      applied: true,
    });
    expect(await effects('flaky')).toBe(1);
  });

  it('runExternal skips an external effect once it has been recorded', async () => {
    let calls = 0;
    const effect = () => Promise.resolve(void (calls += 1));
    expect(await idempotent.runExternal('external', MESSAGE, effect)).toBe(true);
    expect(await idempotent.runExternal('external', MESSAGE, effect)).toBe(false);
    expect(calls).toBe(1);
    // A failed external effect is not recorded.
    await expect(
      idempotent.runExternal('external-fail', MESSAGE, () => Promise.reject(new Error('503'))),
    ).rejects.toThrow('503');
    expect(await idempotent.runExternal('external-fail', MESSAGE, effect)).toBe(true);
  });
});
