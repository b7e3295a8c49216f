/**
 * Ranking metrics with binary relevance: `ranked` is a recommendation list (best first), `truth`
 * the items the user actually interacted with in the test period.
 */

/** 1 when any of the first k is relevant. */
export function hitRateAt(
  ranked: readonly string[],
  truth: ReadonlySet<string>,
  k: number,
): number {
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (truth.has(ranked[i])) return 1;
  return 0;
}

/** Share of the relevant items found in the first k. */
export function recallAt(ranked: readonly string[], truth: ReadonlySet<string>, k: number): number {
  if (truth.size === 0) return 0;
  let hits = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (truth.has(ranked[i])) hits++;
  return hits / truth.size;
}

/** DCG of the first k (gain 1 / log2(rank + 1)) over the DCG of a perfect list. */
export function ndcgAt(ranked: readonly string[], truth: ReadonlySet<string>, k: number): number {
  if (truth.size === 0) return 0;
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++)
    if (truth.has(ranked[i])) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, truth.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/** Average precision at k, normalised by min(|truth|, k) so a perfect list scores 1. */
export function averagePrecisionAt(
  ranked: readonly string[],
  truth: ReadonlySet<string>,
  k: number,
): number {
  if (truth.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    if (truth.has(ranked[i])) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / Math.min(truth.size, k);
}

export interface RankingMetrics {
  ndcg10: number;
  recall20: number;
  hr10: number;
  map10: number;
  /** Distinct items in anyone's top 10 over the catalogue size. */
  coverage: number;
  users: number;
}

export const METRIC_LABELS: Record<Exclude<keyof RankingMetrics, 'users'>, string> = {
  ndcg10: 'NDCG@10',
  recall20: 'Recall@20',
  hr10: 'HR@10',
  map10: 'MAP@10',
  coverage: 'coverage',
};

/** Accumulates the metrics over users; lists must hold at least 20 items for Recall@20. */
export class MetricsAccumulator {
  private sums = { ndcg10: 0, recall20: 0, hr10: 0, map10: 0 };
  private users = 0;
  private readonly recommended = new Set<string>();

  constructor(private readonly catalogueSize: number) {}

  add(ranked: readonly string[], truth: ReadonlySet<string>): void {
    if (truth.size === 0) return;
    this.users++;
    this.sums.ndcg10 += ndcgAt(ranked, truth, 10);
    this.sums.recall20 += recallAt(ranked, truth, 20);
    this.sums.hr10 += hitRateAt(ranked, truth, 10);
    this.sums.map10 += averagePrecisionAt(ranked, truth, 10);
    for (let i = 0; i < Math.min(10, ranked.length); i++) this.recommended.add(ranked[i]);
  }

  result(): RankingMetrics {
    const n = Math.max(1, this.users);
    return {
      ndcg10: this.sums.ndcg10 / n,
      recall20: this.sums.recall20 / n,
      hr10: this.sums.hr10 / n,
      map10: this.sums.map10 / n,
      coverage: this.catalogueSize ? this.recommended.size / this.catalogueSize : 0,
      users: this.users,
    };
  }
}
