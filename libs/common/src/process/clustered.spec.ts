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

/** The pid answering one request on a fresh connection (no keep-alive agent). */
const pidOnPort = (port: number) =>
  new Promise<number>((ok, fail) => {
    // A connection handed to a worker as it is killed is never answered: time it out.
    get({ host: '127.0.0.1', port, agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => ok(Number(body)));
    })
      .on('timeout', function (this: ReturnType<typeof get>) {
        this.destroy(new Error('timeout'));
      })
      .on('error', fail);
  });

/** Pids answering on the port over `tries` fresh connections. */
async function answering(port: number, tries = 40): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < tries; i++) {
    try {
      pids.add(await pidOnPort(port));
    } catch {
      await sleep(50);
    }
  }
  return pids;
}

describe('runClustered', () => {
  let primary: ChildProcess | undefined;
  afterEach(() => primary?.kill('SIGKILL'));

  it('serves one port from every worker, replaces a dead one, and stops them all on SIGTERM', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    primary = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
      env: { ...process.env, PORT: String(port), WORKERS: '2' },
      stdio: 'ignore',
    });
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
