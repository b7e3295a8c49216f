/**
 * Child process of the outbox kill test (libs/outbox/src/outbox-crash.int-spec.ts), run as
 * `node -r @swc-node/register test/support/outbox-crash-child.ts` with the test's env.
 *
 * It runs a real polling drainer whose consumer applies its effect through
 * IdempotentConsumer.runOnce; once that transaction has COMMITTED it tells the parent over IPC
 * and then never returns, so the drainer never gets to mark the message delivered. The
 * parent SIGKILLs it in exactly that window.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DatabaseClient } from '@app/db';
import { buildDrainer, effectConsumer } from './outbox-testing';

export type CrashChildMessage =
  | { type: 'ready'; drainerId: string }
  | { type: 'applied'; messageId: string; applied: boolean; drainerId: string };

function send(message: CrashChildMessage): void {
  if (!process.send)
    throw new Error('outbox-crash-child must be started with an IPC channel (fork)');
  process.send(message);
}

function main(): void {
  Logger.overrideLogger(['error']);
  const config = AppConfig.load();
  const db = new DatabaseClient({ connectionString: config.db.url, max: 2 });
  const kit = buildDrainer(config, db, [
    (idempotent) =>
      effectConsumer(idempotent, {
        name: process.env.CRASH_CONSUMER_NAME ?? 'effects',
        afterCommit: async (message, applied) => {
          send({ type: 'applied', messageId: message.id, applied, drainerId: kit.drainer.id });
          // Hang between "effect committed" and "mark delivered" until the parent kills us.
          await new Promise<never>(() => undefined);
        },
      }),
  ]);
  send({ type: 'ready', drainerId: kit.drainer.id });
  kit.drainer.start();
}

main();
