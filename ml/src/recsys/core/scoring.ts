import { scoreEase } from './ease';
import { foldIn } from './ials';
import type { BlendWeights, RecommenderModel } from './model';
import { scoreAllTyped } from './linalg';
import { topK } from './top-k';

/** A member's past interactions with the model's items (indices into `model.items`). */
export interface RecsysHistory {
  items: number[];
  /** Recency-decayed, weighted, repeat-counted strength per item. */
  values: number[];
  /** Purchase count per item. */
  counts: number[];
  firstAt: number[];
  lastAt: number[];
}

export const EMPTY_HISTORY: RecsysHistory = {
  items: [],
  values: [],
  counts: [],
  firstAt: [],
  lastAt: [],
};

/** Popularity breaks ties (and orders re-buy-only lists beyond the member's own items). */
const TIE_BREAK = 1e-6;

/**
 * out = w.cf·cf/max(cf) + w.rebuy·r/max(r) + (w.popularity + ε)·popularity, each component
 * scaled to [0, 1] for this member so the weights mean the same for light and heavy buyers.
 */
export function combineScores(
  cf: Float32Array | null,
  history: RecsysHistory,
  popularity: Float32Array,
  weights: BlendWeights,
  out: Float32Array,
): Float32Array {
  const n = out.length;
  const wp = weights.popularity + TIE_BREAK;
  let cfMax = 0;
  if (cf && weights.cf > 0) for (let i = 0; i < n; i++) if (cf[i] > cfMax) cfMax = cf[i];
  if (cfMax > 0) {
    const scale = weights.cf / cfMax;
    for (let i = 0; i < n; i++) out[i] = (cf![i] > 0 ? cf![i] * scale : 0) + wp * popularity[i];
  } else {
    for (let i = 0; i < n; i++) out[i] = wp * popularity[i];
  }
  if (weights.rebuy > 0 && history.items.length) {
    let max = 0;
    for (const v of history.values) if (v > max) max = v;
    if (max > 0)
      for (let p = 0; p < history.items.length; p++)
        out[history.items[p]] += (weights.rebuy * history.values[p]) / max;
  }
  return out;
}

/** The member's vector: the stored one when given, else one fold-in solve from their history. */
export function memberVector(
  model: RecommenderModel,
  history: RecsysHistory,
  stored?: Float32Array | null,
): Float32Array | null {
  if (stored && stored.length === model.k) return stored;
  if (!history.items.length) return null;
  return foldIn(model.itemFactors, model.gram, history.items, history.values, {
    factors: model.k,
    regularization: model.params.ials.regularization,
    alpha: model.params.ials.alpha,
  });
}

export type ReasonKind = 'because_you_bought' | 'buy_again' | 'popular' | 'similar';

export interface Reason {
  kind: ReasonKind;
  /** because_you_bought: the past item that makes this one likely; similar: the item asked about. */
  item?: string;
  /** buy_again: the member's average interval between purchases, in weeks. */
  everyWeeks?: number;
  /** popular: the item's category. */
  category?: string | null;
}

export interface ScoredItem {
  item: string;
  score: number;
  reason: Reason;
}

export interface RecommendOptions {
  limit: number;
  category?: string;
  excludePurchased?: boolean;
  /** Items that must not be recommended (out of stock, the product itself). */
  exclude?: ReadonlySet<number>;
}

const WEEK_MS = 7 * 86_400_000;

function cosine(y: Float32Array, k: number, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let f = 0; f < k; f++) {
    const x = y[a * k + f];
    const z = y[b * k + f];
    dot += x * z;
    na += x * x;
    nb += z * z;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** The CF part for a member: EASE over their items when the model serves EASE, else x·Yᵀ. */
export function cfScores(
  model: RecommenderModel,
  history: RecsysHistory,
  vector: Float32Array | null,
  out: Float32Array,
): Float32Array | null {
  if (model.ease && model.params.cf === 'ease')
    return history.items.length
      ? scoreEase(model.ease, model.ease.column, history.items, out)
      : null;
  return vector ? scoreAllTyped(vector, model.itemFactors, model.items.length, model.k, out) : null;
}

/**
 * Ranks every item for a member with the blend, applies the filters before truncation and says
 * why each item is there: the component that contributed most to its score.
 */
export function recommend(
  model: RecommenderModel,
  history: RecsysHistory,
  vector: Float32Array | null,
  options: RecommendOptions,
  scratch: { cf: Float32Array; out: Float32Array } = {
    cf: new Float32Array(model.items.length),
    out: new Float32Array(model.items.length),
  },
): ScoredItem[] {
  const weights = model.params.weights;
  const cf = cfScores(model, history, vector, scratch.cf);
  const scores = combineScores(cf, history, model.popularity, weights, scratch.out);
  const owned = new Map<number, number>();
  history.items.forEach((item, p) => owned.set(item, p));
  const top = topK(
    scores,
    options.limit,
    (i) =>
      (options.excludePurchased === true && owned.has(i)) ||
      (options.exclude?.has(i) ?? false) ||
      (options.category !== undefined && model.categories[i] !== options.category),
  );

  let cfMax = 0;
  if (cf) for (const s of cf) if (s > cfMax) cfMax = s;
  let valueMax = 0;
  for (const v of history.values) if (v > valueMax) valueMax = v;
  // Explain CF picks by the most similar of the member's strongest recent items.
  const anchors = history.items
    .map((item, p) => ({ item, value: history.values[p] }))
    .sort((a, b) => b.value - a.value)
    .slice(0, 50);

  return top.map((i) => {
    const p = owned.get(i);
    const cfPart = cf && cfMax > 0 ? (weights.cf * Math.max(0, cf[i])) / cfMax : 0;
    const rebuyPart =
      p !== undefined && valueMax > 0 ? (weights.rebuy * history.values[p]) / valueMax : 0;
    const popularPart = weights.popularity * model.popularity[i];
    let reason: Reason;
    if (p !== undefined && rebuyPart >= cfPart && rebuyPart >= popularPart) {
      const count = history.counts[p];
      reason = { kind: 'buy_again' };
      if (count >= 2) {
        const interval = (history.lastAt[p] - history.firstAt[p]) / (count - 1);
        reason.everyWeeks = Math.max(1, Math.round(interval / WEEK_MS));
      }
    } else if (cfPart > popularPart && anchors.length) {
      let best = anchors[0].item;
      let bestSim = -Infinity;
      for (const a of anchors) {
        if (a.item === i) continue;
        const sim = cosine(model.itemFactors, model.k, i, a.item);
        if (sim > bestSim) {
          bestSim = sim;
          best = a.item;
        }
      }
      reason = { kind: 'because_you_bought', item: model.items[best] };
    } else {
      reason = { kind: 'popular', category: model.categories[i] };
    }
    return { item: model.items[i], score: scores[i], reason };
  });
}

/** Items whose factor vectors are closest (cosine) to `item`'s; same-category popularity when it has none. */
export function similarItems(
  model: RecommenderModel,
  item: number,
  options: Omit<RecommendOptions, 'excludePurchased'>,
): ScoredItem[] {
  const n = model.items.length;
  const k = model.k;
  const scores = new Float32Array(n);
  let self = 0;
  for (let f = 0; f < k; f++) self += model.itemFactors[item * k + f] ** 2;
  const category = model.categories[item];
  if (self > 0) {
    for (let i = 0; i < n; i++)
      scores[i] = cosine(model.itemFactors, k, item, i) + TIE_BREAK * model.popularity[i];
  } else {
    for (let i = 0; i < n; i++)
      scores[i] =
        model.popularity[i] + (category !== null && model.categories[i] === category ? 1 : 0);
  }
  const top = topK(
    scores,
    options.limit,
    (i) =>
      i === item ||
      (options.exclude?.has(i) ?? false) ||
      (options.category !== undefined && model.categories[i] !== options.category),
  );
  return top.map((i) => ({
    item: model.items[i],
    score: scores[i],
    reason:
      self > 0
        ? { kind: 'similar' as const, item: model.items[item] }
        : { kind: 'popular' as const, category: model.categories[i] },
  }));
}
