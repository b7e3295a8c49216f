import { aggregateInteractions, type Interaction } from '../core/interactions';
import type { RecommenderModel } from '../core/model';
import { EMPTY_HISTORY, type RecsysHistory } from '../core/scoring';

/**
 * A member's events as a history over the model's items, decayed from `asOf` (default now).
 * Aggregates over the member's own items only (a fixed 10k-item vocabulary would cost a map
 * build per request), then maps them to model indices; unknown items are dropped.
 */
export function historyFor(
  model: RecommenderModel,
  interactions: readonly Interaction[],
  asOf: number = Date.now(),
): RecsysHistory {
  if (!interactions.length) return EMPTY_HISTORY;
  const m = aggregateInteractions(interactions, {
    asOf: Math.max(asOf, model.asOf),
    halfLifeDays: model.params.halfLifeDays,
    users: [interactions[0].user],
  });
  const h: RecsysHistory = { items: [], values: [], counts: [], firstAt: [], lastAt: [] };
  for (let p = 0; p < m.indices.length; p++) {
    const item = model.itemIndex.get(m.items[m.indices[p]]);
    if (item === undefined) continue;
    h.items.push(item);
    h.values.push(m.values[p]);
    h.counts.push(m.counts[p]);
    h.firstAt.push(m.firstAt[p]);
    h.lastAt.push(m.lastAt[p]);
  }
  return h;
}
