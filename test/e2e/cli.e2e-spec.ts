import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '@app/testing';

const ROOT = resolve(__dirname, '../..');
const CLI = resolve(ROOT, 'apps/cli/src/main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', SCRYPT_COST: '1024', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((ok) => child.on('exit', (code) => ok({ code, stdout, stderr })));
  return { child, done };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => ok(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(url: string, deadline: number): Promise<Response> {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} never answered 200`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('cli (npm start and operator commands)', () => {
  let database: TestDatabase;
  const prefix = `test_cli_${process.pid}`;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('refuses to start when Postgres is unreachable, naming the URL and how to start it', async () => {
    const { done } = cli(['start'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/loyalty' });
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'Cannot reach PostgreSQL at postgres://postgres@127.0.0.1:1/loyalty',
    );
    expect(run.stderr).toContain('pg_ctlcluster');
  });

  it('refuses to start when Redis is unreachable, naming the URL', async () => {
    const { done } = cli(['start'], {
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot reach Redis at redis://127.0.0.1:1');
  });

  it('refuses invalid configuration with every problem listed', async () => {
    const run = await cli(['migrate'], { API_PORT: 'abc', DATABASE_URL: 'mysql://x' }).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Invalid configuration');
    expect(run.stderr).toContain('API_PORT');
    expect(run.stderr).toContain('DATABASE_URL');
  });

  it('creates a brand with its owner, and refuses a taken slug', async () => {
    const env = { DATABASE_URL: database.url, OWNER_PASSWORD: 'owner-password-123' };
    const args = [
      'create-brand',
      '--slug',
      'cli-brand',
      '--name',
      'CLI Brand',
      '--owner-email',
      'owner@cli.test',
    ];
    const first = await cli(args, env).done;
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created brand cli-brand');

    const again = await cli(args, env).done;
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already taken');

    const missing = await cli(['create-brand', '--slug', 'x'], { DATABASE_URL: database.url }).done;
    expect(missing.code).toBe(2);

    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    const { rows } = await pg.query(
      "select s.role from brands b join staff_users s on s.brand_id = b.id where b.slug = 'cli-brand'",
    );
    await pg.end();
    expect(rows).toEqual([{ role: 'owner' }]);
  });

  it('starts api, worker and recommender after migrating, and stops them all on SIGTERM', async () => {
    const [api, worker, recommender] = [await freePort(), await freePort(), await freePort()];
    const { child, done } = cli(['start'], {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      API_PORT: String(api),
      WORKER_PORT: String(worker),
      RECOMMENDER_PORT: String(recommender),
      TF_BACKEND: 'cpu',
    });
    const deadline = Date.now() + 90_000;
    try {
      await waitFor(`http://127.0.0.1:${api}/health`, deadline);
      const ready = await waitFor(`http://127.0.0.1:${api}/ready`, deadline);
      expect(((await ready.json()) as { status: string }).status).toBe('ok');
      await waitFor(`http://127.0.0.1:${worker}/health`, deadline);
      await waitFor(`http://127.0.0.1:${recommender}/health`, deadline);
    } finally {
      child.kill('SIGTERM');
    }
    const run = await done;
    expect(run.stdout).toContain(`http://127.0.0.1:${api}/docs`);
    expect(run.stdout).toContain('database migrated');
    expect(run.code).toBe(0);
  }, 120_000);
});
