import type { PurchaseHistory } from './transactions';

/**
 * The recency-only baseline: the observed rate of buying within 7/14/28 days for members whose
 * last purchase was a given number of days ago, from past cutoffs. Whatever a model learns must
 * beat this table to be served.
 */
export interface RecencyTable {
  /** Lower edges of the days-since-last-purchase bins. */
  edges: number[];
  p7: number[];
  p14: number[];
  p28: number[];
}

export const RECENCY_EDGES = [0, 7, 14, 28, 56, 91, 182, 365];

const binOf = (edges: readonly number[], days: number) => {
  let b = 0;
  while (b + 1 < edges.length && days >= edges[b + 1]) b++;
  return b;
};

export interface RecencyFitOptions {
  lastDay: number;
  stepDays: number;
  cutoffs: number;
}

export function fitRecency(
  histories: readonly PurchaseHistory[],
  options: RecencyFitOptions,
): RecencyTable {
  const edges = RECENCY_EDGES;
  const windows = [7, 14, 28] as const;
  const n = windows.map(() => new Array<number>(edges.length).fill(0));
  const k = windows.map(() => new Array<number>(edges.length).fill(0));
  for (let c = 0; c < options.cutoffs; c++) {
    const cutoff = options.lastDay - 28 - c * options.stepDays;
    for (const h of histories) {
      let i = 0;
      while (i < h.days.length && h.days[i] <= cutoff) i++;
      if (i === 0) continue;
      const bin = binOf(edges, cutoff - h.days[i - 1]);
      const next = h.days[i];
      windows.forEach((w, wi) => {
        n[wi][bin]++;
        if (next !== undefined && next <= cutoff + w) k[wi][bin]++;
      });
    }
  }
  // Shrink thin bins towards the overall rate (one pseudo-observation).
  const rates = windows.map((_, wi) => {
    const total = n[wi].reduce((s, v) => s + v, 0);
    const overall = total ? k[wi].reduce((s, v) => s + v, 0) / total : 0;
    return n[wi].map((count, b) => (k[wi][b] + overall) / (count + 1));
  });
  return { edges: [...edges], p7: rates[0], p14: rates[1], p28: rates[2] };
}

export function recencyPredict(
  table: RecencyTable,
  daysSinceLast: number,
): { p7: number; p14: number; p28: number } {
  const b = binOf(table.edges, daysSinceLast);
  return { p7: table.p7[b], p14: table.p14[b], p28: table.p28[b] };
}
