/**
 * What a flush may answer: nothing (done), or a delay in ms after which the key must be flushed
 * again because the flush could not run now (e.g. another process holds the window).
 */
export type FlushResult = void | { retryInMs: number };

/**
 * Coalesces change notifications per key: however many `mark(key)` calls arrive, `flush(key)` runs
 * at most once every `interval` ms per key (a number, or read per key before each wait), and flushes of one key never overlap. A mark that
 * arrives during a flush schedules another flush, so the last change is always flushed (nothing is
 * lost, only merged). The first mark after a quiet period flushes at once (no added latency for a
 * lone change).
 */
export class Coalescer {
  private readonly states = new Map<
    string,
    { dirty: boolean; running: boolean; timer?: NodeJS.Timeout; lastAt: number }
  >();

  constructor(
    private readonly interval: number | ((key: string) => number),
    private readonly flush: (key: string) => Promise<FlushResult>,
    private readonly onError: (key: string, error: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  mark(key: string): void {
    let state = this.states.get(key);
    if (!state) {
      state = { dirty: false, running: false, lastAt: -Infinity };
      this.states.set(key, state);
    }
    state.dirty = true;
    if (!state.running && !state.timer) this.schedule(key, this.waitFor(key, state.lastAt));
  }

  /** Keys with a pending or running flush (for tests and shutdown). */
  get pending(): number {
    return this.states.size;
  }

  /** Cancels every scheduled flush (module shutdown); running flushes finish on their own. */
  stop(): void {
    for (const state of this.states.values()) clearTimeout(state.timer);
    this.states.clear();
  }

  private waitFor(key: string, lastAt: number): number {
    const intervalMs = typeof this.interval === 'number' ? this.interval : this.interval(key);
    return Math.max(0, lastAt + intervalMs - this.now());
  }

  private schedule(key: string, delayMs: number): void {
    const state = this.states.get(key);
    if (!state) return;
    state.timer = setTimeout(() => void this.tick(key), delayMs);
    state.timer.unref?.();
  }

  /** A timer fired: flush if something changed, else the quiet period is over and the key is forgotten. */
  private async tick(key: string): Promise<void> {
    const state = this.states.get(key);
    if (!state) return;
    state.timer = undefined;
    if (!state.dirty) {
      this.states.delete(key);
      return;
    }
    state.running = true;
    state.dirty = false;
    state.lastAt = this.now();
    let retryInMs: number | undefined;
    try {
      const result = await this.flush(key);
      if (result) retryInMs = result.retryInMs;
    } catch (error) {
      this.onError(key, error);
    }
    state.running = false;
    if (this.states.get(key) !== state) return; // stopped meanwhile
    if (retryInMs !== undefined) {
      state.dirty = true;
      this.schedule(key, Math.max(1, retryInMs));
    } else {
      // Flushes again once the interval is over if marked meanwhile; forgets the key otherwise.
      this.schedule(key, this.waitFor(key, state.lastAt));
    }
  }
}
