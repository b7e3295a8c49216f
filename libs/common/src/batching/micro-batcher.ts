/** One item's outcome in a batch: its value, or the error that item alone failed with. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface MicroBatcherOptions {
  /** Most items one batch takes. */
  maxBatch: number;
  /** Most batches running at once (each holds one database connection, say). */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a hot write path. Items are queued per key (the tenant); while fewer than
 * `maxInFlight` batches run, a submitted item starts a batch at once (no added latency when the
 * path is idle); when all slots are busy, arrivals queue and the next free slot takes up to
 * `maxBatch` of them in one batch. So the batch size follows the load: one round trip per batch
 * instead of per item, exactly when round trips are the bottleneck.
 *
 * `run` must return one Settled per item, in order. If it throws, every item of that batch
 * fails with the error (callers that want isolation retry items one by one inside `run`).
 */
export class MicroBatcher<K, I, O> {
  private readonly queues = new Map<K, Pending<I, O>[]>();
  private inFlight = 0;

  constructor(
    private readonly run: (key: K, items: I[]) => Promise<Settled<O>[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(key: K, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else this.queues.set(key, [{ item, resolve, reject }]);
      this.pump();
    });
  }

  /** Items waiting for a slot (for metrics and tests). */
  get queued(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queues.size > 0) {
      // Oldest key first: Map iteration order is insertion order, and a drained key is deleted.
      const [key, queue] = this.queues.entries().next().value as [K, Pending<I, O>[]];
      const batch = queue.splice(0, this.options.maxBatch);
      if (queue.length === 0) this.queues.delete(key);
      else {
        // Move the key to the back so other tenants get the next slot.
        this.queues.delete(key);
        this.queues.set(key, queue);
      }
      this.inFlight += 1;
      void this.execute(key, batch);
    }
  }

  private async execute(key: K, batch: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.run(
        key,
        batch.map((p) => p.item),
      );
      batch.forEach((p, i) => {
        const r = results[i];
        if (!r) p.reject(new Error('batch returned no result for an item'));
        else if (r.ok) p.resolve(r.value);
        else p.reject(r.error);
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }
}
