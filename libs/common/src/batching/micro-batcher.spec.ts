import { MicroBatcher, type Settled } from './micro-batcher';

const ok = <T>(value: T): Settled<T> => ({ ok: true, value });

function deferred() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { done, release };
}

describe('MicroBatcher', () => {
  it('runs an item at once when a slot is free (no added latency)', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<string, number, number>(
      (_k, items) => {
        batches.push(items);
        return Promise.resolve(items.map((i) => ok(i * 2)));
      },
      { maxBatch: 10, maxInFlight: 2 },
    );
    await expect(batcher.submit('a', 1)).resolves.toBe(2);
    expect(batches).toEqual([[1]]);
  });

  it('queues arrivals while all slots are busy and takes them as one batch, capped at maxBatch', async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const batcher = new MicroBatcher<string, number, number>(
      async (_k, items) => {
        batches.push(items);
        await gate.done;
        return items.map((i) => ok(i + 100));
      },
      { maxBatch: 3, maxInFlight: 1 },
    );
    const results = [1, 2, 3, 4, 5, 6].map((i) => batcher.submit('a', i));
    expect(batcher.queued).toBe(5);
    gate.release();
    await expect(Promise.all(results)).resolves.toEqual([101, 102, 103, 104, 105, 106]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('keeps tenants apart and serves them in turn', async () => {
    const gate = deferred();
    const batches: [string, number[]][] = [];
    const batcher = new MicroBatcher<string, number, string>(
      async (key, items) => {
        batches.push([key, items]);
        await gate.done;
        return items.map((i) => ok(`${key}${i}`));
      },
      { maxBatch: 2, maxInFlight: 1 },
    );
    const all = [
      batcher.submit('a', 1),
      batcher.submit('a', 2),
      batcher.submit('a', 3),
      batcher.submit('a', 4),
      batcher.submit('b', 1),
    ];
    gate.release();
    await expect(Promise.all(all)).resolves.toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
    expect(batches).toEqual([
      ['a', [1]],
      ['a', [2, 3]],
      ['b', [1]],
      ['a', [4]],
    ]);
  });

  it('settles items one by one, and fails the whole batch when run throws', async () => {
    const batcher = new MicroBatcher<string, number, number>(
      (_k, items) => {
        if (items.includes(99)) return Promise.reject(new Error('broken batch'));
        return Promise.resolve(
          items.map((i) => (i % 2 ? ok(i) : { ok: false as const, error: new Error(`even ${i}`) })),
        );
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    await expect(batcher.submit('a', 1)).resolves.toBe(1);
    await expect(batcher.submit('a', 2)).rejects.toThrow('even 2');
    await expect(batcher.submit('a', 99)).rejects.toThrow('broken batch');
    // The slot was released after the failure.
    await expect(batcher.submit('a', 3)).resolves.toBe(3);
  });
});
