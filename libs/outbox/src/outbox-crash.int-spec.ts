import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { createTestContext, TEST_REDIS_URL, type TestContext } from '@app/testing';
import type { CrashChildMessage } from '../../../test/support/outbox-crash-child';
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

const ROOT = resolve(__dirname, '../../..');
const CHILD = resolve(ROOT, 'test/support/outbox-crash-child.ts');
const BRAND = '11111111-1111-4111-8111-111111111111';
const LEASE_MS = 1500;

/** Resolves with the first IPC message matching `type`; rejects if the child exits first. */
function nextMessage<T extends CrashChildMessage['type']>(
  child: ChildProcess,
  type: T,
  stderr: () => string,
  timeoutMs = 30_000,
): Promise<Extract<CrashChildMessage, { type: T }>> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no "${type}" from the child within ${timeoutMs} ms\n${stderr()}`));
    }, timeoutMs);
    const onMessage = (message: CrashChildMessage) => {
      if (message.type !== type) return;
      cleanup();
      resolvePromise(message as Extract<CrashChildMessage, { type: T }>);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`child exited (${signal ?? code}) before "${type}"\n${stderr()}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

describe('outbox drainer killed between the consumer effect and mark-done', () => {
  let ctx: TestContext;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    ctx = await createTestContext({ OUTBOX_LEASE_MS: String(LEASE_MS), OUTBOX_POLL_MS: '20' });
    await createEffectsTable(ctx.db);
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ctx.close();
  });

  it('redelivers the message after the lease and the idempotent consumer applies it once', async () => {
    const messageId = await new OutboxPublisher().publish(ctx.db.db, BRAND, {
      topic: 'crash.test',
      payload: { n: 1 },
    });

    // 1. A real drainer in another process picks the message up and applies the effect.
    let stderr = '';
    child = fork(CHILD, [], {
      cwd: ROOT,
      execArgv: ['-r', '@swc-node/register'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: ctx.database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: ctx.config.redis.prefix,
        OUTBOX_LEASE_MS: String(LEASE_MS),
        OUTBOX_POLL_MS: '20',
      },
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child?.once('exit', (code, signal) => done({ code, signal })),
    );
    const { drainerId: childDrainer } = await nextMessage(child, 'ready', () => stderr);
    const applied = await nextMessage(child, 'applied', () => stderr);
    expect(applied).toMatchObject({ messageId, applied: true, drainerId: childDrainer });

    // 2. The effect is committed but the message is still claimed by the child, not done.
    expect(
      await countRows(ctx.db, `select 1 from ${EFFECTS_TABLE} where message_id = $1`, [messageId]),
    ).toBe(1);
    expect(
      await countRows(ctx.db, 'select 1 from processed_messages where message_id = $1', [
        messageId,
      ]),
    ).toBe(1);
    expect(await messageRow(ctx.db, messageId)).toMatchObject({
      attempts: 1,
      locked_by: childDrainer,
      delivered_at: null,
    });

    // 3. Kill it in that window: no chance to mark the message delivered.
    child.kill('SIGKILL');
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await messageRow(ctx.db, messageId)).toMatchObject({ attempts: 1, delivered_at: null });

    // 4. Another drainer re-claims it once the lease ran out and delivers it again.
    const { drainer, registry } = buildDrainer(ctx.config, ctx.db, [
      (idempotent) => effectConsumer(idempotent),
    ]);
    const consumer = registry.list()[0] as ReturnType<typeof effectConsumer>;
    let rounds = 0;
    await waitFor(
      'the second drainer to deliver the message',
      async () => {
        rounds += 1;
        return (await drainer.drainOnce()).delivered === 1;
      },
      { timeoutMs: LEASE_MS * 10 },
    );
    expect(rounds).toBeGreaterThan(1); // nothing was claimable while the dead child's lease held

    // 5. Delivered twice, applied once.
    expect(consumer.skipped).toEqual([messageId]);
    expect(consumer.applied).toEqual([]);
    const row = await messageRow(ctx.db, messageId);
    expect(row).toMatchObject({ attempts: 2, locked_by: drainer.id, last_error: null });
    expect(row.delivered_at).toBeInstanceOf(Date);
    const effects = await ctx.db.pool.query<{ drainer_id: string; attempt: number }>(
      `select drainer_id, attempt from ${EFFECTS_TABLE} where message_id = $1`,
      [messageId],
    );
    expect(effects.rows).toEqual([{ drainer_id: childDrainer, attempt: 1 }]);
    expect(
      await countRows(ctx.db, 'select 1 from processed_messages where message_id = $1', [
        messageId,
      ]),
    ).toBe(1);
  });
});
