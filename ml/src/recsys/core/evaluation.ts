import type { DenseKernels } from './kernels';
import { scoreBatch } from './kernels';
import type { InteractionMatrix } from './interactions';
import { MetricsAccumulator, type RankingMetrics } from './metrics';
import {
  type BlendWeights,
  type RecommenderParams,
  type TrainedRecommender,
  trainRecommender,
} from './model';
import { type RecsysHistory, combineScores } from './scoring';
import { type Split, type SplitSpec, applySplit, testTruth } from './split';
import { topK } from './top-k';
import { seededRandom } from './random';

export function historyOf(m: InteractionMatrix, u: number): RecsysHistory {
  const h: RecsysHistory = { items: [], values: [], counts: [], firstAt: [], lastAt: [] };
  for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
    h.items.push(m.indices[p]);
    h.values.push(m.values[p]);
    h.counts.push(m.counts[p]);
    h.firstAt.push(m.firstAt[p]);
    h.lastAt.push(m.lastAt[p]);
  }
  return h;
}

export interface EvaluateOptions {
  excludeRepeats: boolean;
  kernels: DenseKernels;
  /** Evaluate a seeded sample of at most this many users (tuning speed); default all. */
  maxUsers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Scores every evaluated user once per batch (the CF part on the faster kernel) and ranks them
 * under each weight vector of `grid`: one metrics row per weight vector.
 */
export function evaluateBlends(
  trained: TrainedRecommender,
  truth: ReadonlyMap<string, ReadonlySet<string>>,
  grid: readonly BlendWeights[],
  options: EvaluateOptions,
): RankingMetrics[] {
  const { model, matrix, userFactors } = trained;
  const n = model.items.length;
  const k = model.k;
  let users = [...truth.keys()].filter((u) => matrix.userIndex.has(u));
  if (options.maxUsers && users.length > options.maxUsers) {
    const random = seededRandom(7);
    users = users
      .map((u) => ({ u, r: random() }))
      .sort((a, b) => a.r - b.r)
      .slice(0, options.maxUsers)
      .map((x) => x.u);
  }
  const accumulators = grid.map(() => new MetricsAccumulator(n));
  const out = new Float32Array(n);
  const batchSize = 256;
  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.slice(start, start + batchSize);
    const x = new Float32Array(batch.length * k);
    batch.forEach((user, r) => {
      const u = matrix.userIndex.get(user)!;
      x.set(userFactors.subarray(u * k, (u + 1) * k), r * k);
    });
    const needCf = grid.some((w) => w.cf > 0);
    const cf = needCf
      ? scoreBatch(options.kernels.score, x, batch.length, model.itemFactors, n, k)
      : null;
    batch.forEach((user, r) => {
      const history = historyOf(matrix, matrix.userIndex.get(user)!);
      const owned = new Set(history.items);
      const userTruth = truth.get(user)!;
      const row = cf ? cf.subarray(r * n, (r + 1) * n) : null;
      grid.forEach((weights, g) => {
        combineScores(row, history, model.popularity, weights, out);
        const top = topK(out, 20, options.excludeRepeats ? (i) => owned.has(i) : undefined);
        accumulators[g].add(
          top.map((i) => model.items[i]),
          userTruth,
        );
      });
    });
    options.onProgress?.(Math.min(users.length, start + batchSize), users.length);
  }
  return accumulators.map((a) => a.result());
}

/**
 * The weight vectors tried on validation (cf, re-buy, popularity), the incumbent first: a
 * weighting replaces it only when strictly better, so ties on small data keep the default.
 */
export function blendGrid(incumbent?: BlendWeights): BlendWeights[] {
  const grid: BlendWeights[] = incumbent ? [incumbent] : [];
  for (const cf of [0, 0.5, 1])
    for (const rebuy of [0, 0.5, 1, 2])
      for (const popularity of [0, 0.1, 0.25, 0.5, 1])
        if (cf + rebuy + popularity > 0) grid.push({ cf, rebuy, popularity });
  return grid;
}

export const BASELINES: Record<string, BlendWeights> = {
  popularity: { cf: 0, rebuy: 0, popularity: 1 },
  're-buy': { cf: 0, rebuy: 1, popularity: 0 },
  iALS: { cf: 1, rebuy: 0, popularity: 0 },
};

export interface ModelResult {
  model: string;
  weights: BlendWeights;
  metrics: RankingMetrics;
}

export interface EvaluationResult {
  split: string;
  excludeRepeats: boolean;
  params: RecommenderParams;
  validation: {
    split: string;
    best: BlendWeights;
    bestNdcg10: number;
    tried: number;
    halfLifeDays: number;
  };
  results: ModelResult[];
  trainMs: number;
  trainInteractions: number;
  testUsers: number;
}

export type Step = (label: string) => {
  tick(done: number, total: number): void;
  done(): void;
};

/**
 * The leakage-free protocol: the same kind of split is applied again inside the training part to
 * make a validation split; the blend weights (and the decay half-life) are tuned there; then the
 * model is retrained on the whole training part and every model and baseline is scored on test.
 */
export function runEvaluation(
  split: Split,
  validationSpec: SplitSpec,
  categories: ReadonlyMap<string, string | null>,
  base: RecommenderParams,
  options: {
    excludeRepeats: boolean;
    kernels: DenseKernels;
    step: Step;
    halfLives?: number[];
    tuneUsers?: number;
  },
): EvaluationResult {
  const validation = applySplit(split.train, validationSpec);
  const validationTruth = testTruth(validation, options.excludeRepeats);
  const grid = blendGrid(base.weights);
  let best = { weights: base.weights, ndcg: -1, halfLifeDays: base.halfLifeDays };
  for (const halfLifeDays of options.halfLives ?? [base.halfLifeDays]) {
    const params = { ...base, halfLifeDays };
    const train = options.step(`tune: train on validation split (half-life ${halfLifeDays} d)`);
    const trained = trainRecommender(
      validation.train,
      categories,
      params,
      options.kernels,
      (i, n) => train.tick(i, n),
    );
    train.done();
    const tune = options.step(`tune: ${grid.length} blend weightings`);
    const rows = evaluateBlends(trained, validationTruth, grid, {
      excludeRepeats: options.excludeRepeats,
      kernels: options.kernels,
      maxUsers: options.tuneUsers ?? 1500,
      onProgress: (d, t) => tune.tick(d, t),
    });
    tune.done();
    rows.forEach((metrics, g) => {
      if (metrics.ndcg10 > best.ndcg)
        best = { weights: grid[g], ndcg: metrics.ndcg10, halfLifeDays };
    });
  }
  const params: RecommenderParams = {
    ...base,
    halfLifeDays: best.halfLifeDays,
    weights: best.weights,
  };
  const trainStep = options.step('train on the training split');
  const started = performance.now();
  const trained = trainRecommender(split.train, categories, params, options.kernels, (i, n) =>
    trainStep.tick(i, n),
  );
  const trainMs = performance.now() - started;
  trainStep.done();
  const truth = testTruth(split, options.excludeRepeats);
  const models = { ...BASELINES, blend: best.weights };
  const evalStep = options.step('score the test split');
  const metrics = evaluateBlends(trained, truth, Object.values(models), {
    excludeRepeats: options.excludeRepeats,
    kernels: options.kernels,
    onProgress: (d, t) => evalStep.tick(d, t),
  });
  evalStep.done();
  return {
    split: split.description,
    excludeRepeats: options.excludeRepeats,
    params,
    validation: {
      split: validation.description,
      best: best.weights,
      bestNdcg10: best.ndcg,
      tried: grid.length * (options.halfLives?.length ?? 1),
      halfLifeDays: best.halfLifeDays,
    },
    results: Object.entries(models).map(([model, weights], i) => ({
      model,
      weights,
      metrics: metrics[i],
    })),
    trainMs,
    trainInteractions: split.train.length,
    testUsers: metrics[0]?.users ?? 0,
  };
}
