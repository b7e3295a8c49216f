import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRedis } from '@app/common';
import type { AppConfig } from '@app/config';
import { OutboxDrainer, OutboxPublisher } from '@app/outbox';
import { createTestContext, TEST_REDIS_URL, type TestContext } from '@app/testing';
import { messageRow, waitFor } from '../../../test/support/outbox-testing';
import { createWorkerApp } from './bootstrap';

const ROOT = resolve(__dirname, '../../..');
const BRAND = '11111111-1111-4111-8111-111111111111';

interface HealthBody {
  status: string;
  workerId: string;
  drainer: { id: string; running: boolean };
  heartbeat: { at: string; workerId: string; ageMs: number; stale: boolean } | null;
}

async function deleteKeys(config: AppConfig): Promise<void> {
  const redis = createRedis(config);
  try {
    const keys = await redis.keys(`${config.redis.prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

describe('worker app', () => {
  let ctx: TestContext;
  let app: NestFastifyApplication;
  let closed = false;

  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.body, headers: response.headers };
  };
  const health = async () => {
    const { status, body } = await get('/health');
    return { status, body: JSON.parse(body) as HealthBody };
  };

  beforeAll(async () => {
    ctx = await createTestContext({ HEARTBEAT_EVERY_MS: '200', OUTBOX_POLL_MS: '25' });
    app = await createWorkerApp(ctx.config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    if (app && !closed) await app.close();
    await deleteKeys(ctx.config);
    await ctx.close();
  });

  it('runs the repeatable heartbeat job through bull and reports it on /health', async () => {
    const first = await waitFor('a first heartbeat', async () => (await health()).body.heartbeat);
    // A later beat proves the repeatable schedule, not just the one-off boot beat.
    const later = await waitFor('a later heartbeat', async () => {
      const beat = (await health()).body.heartbeat;
      return beat && beat.at !== first.at ? beat : undefined;
    });
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      drainer: { id: body.workerId, running: true },
      heartbeat: { workerId: body.workerId, stale: false },
    });
    expect(Date.parse(later.at)).toBeGreaterThan(Date.parse(first.at));
  });

  it('drains the outbox in the background and exposes queue and outbox metrics', async () => {
    const id = await new OutboxPublisher().publish(ctx.db.db, BRAND, {
      topic: 'member.registered',
      key: 'member:33333333-3333-4333-8333-333333333333',
      payload: { memberId: '33333333-3333-4333-8333-333333333333' },
    });
    await waitFor(
      'the worker to deliver the message',
      async () => (await messageRow(ctx.db, id)).delivered_at,
    );

    const { status, body, headers } = await get('/metrics');
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/plain/);
    expect(body).toMatch(/^queue_depth\{queue="heartbeat",state="completed",app="worker"\} \d+$/m);
    expect(body).toMatch(/^outbox_pending_messages\{app="worker"\} 0$/m);
    expect(body).toMatch(/^outbox_dead_messages\{app="worker"\} 0$/m);
    expect(body).toMatch(/^outbox_oldest_pending_age_seconds\{app="worker"\} 0$/m);
    expect(body).toMatch(/^outbox_delivered_total\{topic="member.registered",app="worker"\} 1$/m);
    expect(body).toContain('# TYPE outbox_delivery_failures_total counter');
  });

  it('stops the drainer when the app closes', async () => {
    const drainer = app.get(OutboxDrainer);
    expect(drainer.running).toBe(true);
    await app.close();
    closed = true;
    expect(drainer.running).toBe(false);
  });
});

describe('worker process', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await deleteKeys(ctx.config);
    await ctx.close();
  });

  it('serves /health and shuts down gracefully on SIGTERM', async () => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: ctx.database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: ctx.config.redis.prefix,
        WORKER_PORT: '0',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    try {
      const url = await waitFor(
        'the worker to print its health URL',
        () => {
          if (child.exitCode !== null) throw new Error(`worker exited early:\n${output}`);
          return /health at (http:\/\/\S+)/.exec(output)?.[1];
        },
        { timeoutMs: 30_000 },
      );
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const body = (await response.json()) as HealthBody;
      expect(body).toMatchObject({ status: 'ok', drainer: { running: true } });

      // Nest runs every shutdown hook (drainer stop, bull close, pools) and then re-raises the
      // signal, so the process ends by SIGTERM after logging the drainer's clean stop.
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(output).toContain(`outbox drainer ${body.drainer.id} stopped`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
