import { Coalescer, type FlushResult } from './coalescer';

describe('Coalescer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A coalescer whose flushes record the time they ran (fake clock) and take `flushMs`. */
  function setup(flushMs = 0, results: FlushResult[] = []) {
    const runs: { key: string; at: number }[] = [];
    const errors: unknown[] = [];
    const coalescer = new Coalescer(
      100,
      async (key) => {
        runs.push({ key, at: Date.now() });
        if (flushMs) await new Promise((resolve) => setTimeout(resolve, flushMs));
        return results.shift();
      },
      (_key, error) => errors.push(error),
    );
    return { coalescer, runs, errors, start: Date.now() };
  }

  it('flushes a lone change at once', async () => {
    const { coalescer, runs, start } = setup();
    coalescer.mark('d1');
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([{ key: 'd1', at: start }]);
  });

  it('merges a burst of changes into one flush per interval, the last change included', async () => {
    const { coalescer, runs, start } = setup();
    for (let ms = 0; ms < 250; ms += 1) {
      coalescer.mark('d1');
      await jest.advanceTimersByTimeAsync(1);
    }
    await jest.advanceTimersByTimeAsync(500);
    // 250 marks over 250 ms: at 0, 100, 200 and one more at 300 for the marks after 200.
    expect(runs.map((r) => r.at - start)).toEqual([0, 100, 200, 300]);
    expect(coalescer.pending).toBe(0);
  });

  it('keeps flushes of one key from overlapping and flushes a change made during a flush', async () => {
    const { coalescer, runs, start } = setup(150);
    coalescer.mark('d1');
    await jest.advanceTimersByTimeAsync(10);
    coalescer.mark('d1'); // during the first flush (0–150 ms)
    await jest.advanceTimersByTimeAsync(1_000);
    const [first, second] = runs.map((r) => r.at - start);
    expect(runs).toHaveLength(2);
    expect(first).toBe(0);
    // Not before the first flush finished (150 ms), then without further wait.
    expect(second).toBeGreaterThanOrEqual(150);
    expect(second).toBeLessThan(160);
  });

  it('keys are independent', async () => {
    const { coalescer, runs } = setup();
    coalescer.mark('d1');
    coalescer.mark('d2');
    coalescer.mark('d1'); // merged into the pending flush of d1
    await jest.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.key).sort()).toEqual(['d1', 'd2']);
    coalescer.mark('d2');
    await jest.advanceTimersByTimeAsync(200);
    expect(runs.map((r) => r.key).sort()).toEqual(['d1', 'd2', 'd2']);
  });

  it('respects the interval after a quiet flush', async () => {
    const { coalescer, runs, start } = setup();
    coalescer.mark('d1');
    await jest.advanceTimersByTimeAsync(30);
    coalescer.mark('d1');
    await jest.advanceTimersByTimeAsync(200);
    expect(runs.map((r) => r.at - start)).toEqual([0, 100]);
  });

  it('retries when the flush asks to, even without a new mark', async () => {
    const { coalescer, runs, start } = setup(0, [{ retryInMs: 40 }]);
    coalescer.mark('d1');
    await jest.advanceTimersByTimeAsync(500);
    expect(runs.map((r) => r.at - start)).toEqual([0, 40]);
  });

  it('reports a failed flush and carries on with later changes', async () => {
    const failing = new Coalescer(
      100,
      () => Promise.reject(new Error('redis down')),
      (_key, error) => errors.push(error),
    );
    const errors: unknown[] = [];
    failing.mark('d1');
    await jest.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    failing.mark('d1');
    await jest.advanceTimersByTimeAsync(200);
    expect(errors).toHaveLength(2);
  });

  it('stop cancels scheduled flushes', async () => {
    const { coalescer, runs } = setup();
    coalescer.mark('d1');
    await jest.advanceTimersByTimeAsync(0);
    coalescer.mark('d1');
    coalescer.stop();
    await jest.advanceTimersByTimeAsync(500);
    expect(runs).toHaveLength(1);
  });
});

describe('Coalescer with an interval per key', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reads the interval of a key before each wait, so a new interval applies from the next flush', async () => {
    const intervals = new Map([['crowded', 300]]);
    const runs: { key: string; at: number }[] = [];
    const coalescer = new Coalescer(
      (key) => intervals.get(key) ?? 100,
      (key) => {
        runs.push({ key, at: Date.now() });
        return Promise.resolve();
      },
    );
    const start = Date.now();
    for (let ms = 0; ms < 700; ms += 10) {
      coalescer.mark('crowded');
      coalescer.mark('quiet');
      if (ms === 350) intervals.set('crowded', 100);
      await jest.advanceTimersByTimeAsync(10);
    }
    await jest.advanceTimersByTimeAsync(1_000);
    const at = (key: string) => runs.filter((r) => r.key === key).map((r) => r.at - start);
    expect(at('quiet')).toEqual([0, 100, 200, 300, 400, 500, 600, 700]);
    // 300 ms apart; the interval drops to 100 ms at 350 ms, after the wait from 300 to 600 was
    // set, so it applies from the flush at 600 on.
    expect(at('crowded')).toEqual([0, 300, 600, 700]);
  });
});
