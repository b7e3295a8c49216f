/**
 * Open-loop load at a constant rate (as wrk2 does): requests are scheduled every 1/rate s
 * whatever the answers, and each latency is measured from its scheduled time, so a stall is
 * charged to every request it delayed (no coordinated omission). autocannon's `overallRate`
 * instead sends each second's quota in a burst at the start of the second, which measures a
 * burst at full speed rather than a steady rate.
 */
import { Pool } from 'undici';

export interface PacedJob {
  url: string;
  /** Request paths, taken in turn. */
  paths: string[];
  headers: Record<string, string>;
  rate: number;
  /** Measured seconds. */
  duration: number;
  /**
   * Seconds at the same rate before the measured ones, sent but not recorded: the load
   * generator's JIT and the server's steady state (heap sizing after a different load) are not
   * what the measurement is about. 0 records from the first request.
   */
  warmup?: number;
  connections: number;
}

export interface PacedResult {
  /** Recorded requests (the warm-up's are in `warmupRequests`). */
  requests: number;
  warmupRequests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

const TICK_MS = 1;

export async function pacedLoad(job: PacedJob): Promise<PacedResult> {
  const pool = new Pool(job.url, { connections: job.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const unrecorded = Math.round(job.rate * (job.warmup ?? 0));
  const total = unrecorded + Math.round(job.rate * job.duration);
  const send = (scheduledAt: number) => {
    const path = job.paths[sent % job.paths.length];
    const recorded = sent >= unrecorded;
    sent += 1;
    const request = pool
      .request({ method: 'GET', path, headers: job.headers })
      .then(async (res) => {
        await res.body.dump();
        if (!recorded) return;
        if (res.statusCode < 200 || res.statusCode >= 300) non2xx += 1;
        latencies.push(performance.now() - scheduledAt);
      })
      .catch(() => {
        if (recorded) errors += 1;
      });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      // Every request due by now, each stamped with the instant it was due.
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * job.rate));
      while (sent < due) send(start + (sent / job.rate) * 1000);
      if (sent >= total) {
        clearInterval(timer);
        done();
      }
    }, TICK_MS);
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000 - (job.warmup ?? 0);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies.length
      ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]
      : 0;
  return {
    requests: latencies.length,
    warmupRequests: unrecorded,
    rps: Math.round(latencies.length / elapsed),
    p50: Math.round(at(0.5) * 10) / 10,
    p99: Math.round(at(0.99) * 10) / 10,
    max: Math.round(at(1) * 10) / 10,
    errors,
    non2xx,
  };
}
