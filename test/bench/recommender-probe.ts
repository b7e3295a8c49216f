/**
 * Diagnostics preloaded into the recommender by the bench (BENCH_PROBE=1): what the event loop
 * did while a load ran. Between a `{ probe: 'start' }` and a `{ probe: 'stop', label }` IPC
 * message it counts GC pauses by kind (PerformanceObserver), stalls of the loop (a 1 ms timer
 * that fired more than 5 ms late, with the process CPU time spent meanwhile: CPU close to the
 * stall is work on the loop, CPU far below it is the process waiting for a core), the event-loop
 * delay histogram, server-side request times (from the http diagnostics channels, so a request
 * stuck in the socket behind a stall is not counted — the load's own latencies are), and the
 * Postgres queries issued; on stop it prints one summary line to stderr.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Client } from 'pg';

interface Window {
  gc: Map<string, number[]>;
  stalls: { ms: number; cpuMs: number }[];
  requests: number[];
  queries: Map<string, number>;
}

const GC_KINDS: Record<number, string> = {
  1: 'scavenge',
  2: 'minor-ms',
  4: 'mark-compact',
  8: 'incremental',
  16: 'weak-callbacks',
};
const STALL_MS = 5;

let window: Window | null = null;
const delay = monitorEventLoopDelay({ resolution: 1 });

new PerformanceObserver((list) => {
  if (!window) return;
  for (const entry of list.getEntries()) {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
    const name = GC_KINDS[kind] ?? `kind ${kind}`;
    window.gc.set(name, [...(window.gc.get(name) ?? []), entry.duration]);
  }
}).observe({ entryTypes: ['gc'] });

let last = performance.now();
let lastCpu = process.cpuUsage();
setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  if (window && now - last > STALL_MS)
    window.stalls.push({
      ms: now - last,
      cpuMs: (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000,
    });
  last = now;
  lastCpu = cpu;
}, 1).unref();

const started = new WeakMap<IncomingMessage, number>();
subscribe('http.server.request.start', (message) => {
  if (window) started.set((message as { request: IncomingMessage }).request, performance.now());
});
subscribe('http.server.response.finish', (message) => {
  const at = started.get((message as { request: IncomingMessage }).request);
  if (window && at !== undefined) window.requests.push(performance.now() - at);
});

// pg's Client.query takes a callback (the pool's way) or returns a promise: count both.
type Query = (this: Client, ...args: unknown[]) => unknown;
const query = Client.prototype.query as unknown as Query;
(Client.prototype as unknown as { query: Query }).query = function (this: Client, ...args) {
  if (window) {
    const config = args[0] as string | { text?: string };
    const text = (typeof config === 'string' ? config : (config?.text ?? '?')).slice(0, 48);
    window.queries.set(text, (window.queries.get(text) ?? 0) + 1);
  }
  return query.apply(this, args);
};

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] : 0;
const ms = (v: number) => v.toFixed(1);

process.on('message', (message: { probe?: 'start' | 'stop'; label?: string }) => {
  if (message.probe === 'start') {
    window = { gc: new Map(), stalls: [], requests: [], queries: new Map() };
    delay.reset();
    delay.enable();
  } else if (message.probe === 'stop' && window) {
    delay.disable();
    const w = window;
    window = null;
    const gc = [...w.gc]
      .map(([kind, d]) => {
        const total = d.reduce((a, b) => a + b, 0);
        return `${kind} ${d.length}× total ${ms(total)} max ${ms(Math.max(...d))} ms`;
      })
      .join(', ');
    const stalled = w.stalls.reduce((a, s) => a + s.ms, 0);
    const stalledCpu = w.stalls.reduce((a, s) => a + s.cpuMs, 0);
    const requests = w.requests.sort((a, b) => a - b);
    const queries = [...w.queries].map(([q, n]) => `${n}× ${q}`).join('; ');
    process.stderr.write(
      `probe ${message.label ?? ''}: GC ${gc || 'none'} | loop stalls > ${STALL_MS} ms: ${w.stalls.length}, ` +
        `${ms(stalled)} ms (process CPU meanwhile ${ms(stalledCpu)} ms), longest ${ms(Math.max(0, ...w.stalls.map((s) => s.ms)))} ms | ` +
        `event-loop delay p99 ${ms(delay.percentile(99) / 1e6)} max ${ms(delay.max / 1e6)} ms | ` +
        `server-side p50 ${ms(quantile(requests, 0.5))} p99 ${ms(quantile(requests, 0.99))} max ${ms(quantile(requests, 1))} ms over ${requests.length} | ` +
        `queries: ${queries || 'none'}\n`,
    );
  }
});
