import { type ChildProcess, spawn } from 'node:child_process';
import { get } from 'node:http';
import { resolve } from 'node:path';

const FIXTURE = resolve(__dirname, '../../../../test/support/clustered-fixture.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The body of one GET on a fresh connection (no keep-alive agent). */
const getText = (port: number, path = '/', timeout = 1000) =>
  new Promise<string>((ok, fail) => {
    // A connection handed to a worker as it is killed is never answered: time it out.
    get({ host: '127.0.0.1', port, path, agent: false, timeout }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => ok(body));
    })
      .on('timeout', function (this: ReturnType<typeof get>) {
        this.destroy(new Error('timeout'));
      })
      .on('error', fail);
  });

/** The pid answering one request. */
const pidOnPort = async (port: number, timeout?: number) =>
  Number(await getText(port, '/', timeout));

/**
 * Pids answering on the port over `tries` fresh connections. Each answer is counted in `answers`;
 * a request that times out may still have been answered, so counting callers wait long.
 */
async function answering(
  port: number,
  tries = 40,
  answers?: { count: number },
): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < tries; i++) {
    try {
      pids.add(await pidOnPort(port, answers ? 20_000 : undefined));
      if (answers) answers.count += 1;
    } catch {
      await sleep(50);
    }
  }
  return pids;
}

describe('runClustered', () => {
  let primary: ChildProcess | undefined;
  afterEach(() => primary?.kill('SIGKILL'));

  const start = (port: number) =>
    spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
      env: { ...process.env, PORT: String(port), WORKERS: '2' },
      stdio: 'ignore',
    });

  it('answers a metrics scrape with the requests of every worker, summed', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    primary = start(port);
    const answers = { count: 0 };
    const pids = new Set<number>();
    for (const until = Date.now() + 40_000; Date.now() < until && pids.size < 2;)
      for (const pid of await answering(port, 10, answers)) pids.add(pid);
    expect(pids.size).toBe(2);
    const text = await getText(port, '/metrics', 20_000);
    const counts = [...text.matchAll(/^http_request_duration_seconds_count\{[^}]*\} (\d+)$/gm)];
    // One series (the workers' are merged) holding every answer: both pids answered, so one
    // worker's own count would be less.
    expect(counts).toHaveLength(1);
    expect(Number(counts[0][1])).toBe(answers.count);
  }, 120_000);

  it('serves one port from every worker, replaces a dead one, and stops them all on SIGTERM', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    primary = start(port);
    // Workers boot in a few seconds (slower on a loaded machine): poll until a deadline.
    let pids = new Set<number>();
    for (const until = Date.now() + 40_000; Date.now() < until && pids.size < 2;)
      pids = await answering(port, 10);
    expect(pids.size).toBe(2);
    expect(pids.has(primary.pid!)).toBe(false);

    const [victim] = [...pids];
    process.kill(victim, 'SIGKILL');
    let after = new Set<number>();
    for (const until = Date.now() + 40_000; Date.now() < until;) {
      after = await answering(port, 10);
      if (after.size === 2 && !after.has(victim)) break;
    }
    expect(after.size).toBe(2);
    expect(after.has(victim)).toBe(false);

    const exited = new Promise<number | null>((ok) => primary!.once('exit', (code) => ok(code)));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    await sleep(100);
    expect([...after].filter(alive)).toEqual([]);
  }, 100_000);
});
