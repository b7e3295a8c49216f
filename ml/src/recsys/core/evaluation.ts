import type { DenseKernels } from './kernels';
import { scoreBatch } from './kernels';
import { DEFAULT_EASE_PARAMS, scoreEase } from './ease';
import type { InteractionMatrix } from './interactions';
import { MetricsAccumulator, type RankingMetrics } from './metrics';
import {
  type BlendWeights,
  type CfModel,
  type ModelEase,
  fitEase,
  popularityScores,
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
  /** Where the CF part comes from (default iALS); 'ease' needs `trained.model.ease`. */
  source?: CfModel;
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
    const ease = options.source === 'ease' ? model.ease : undefined;
    if (options.source === 'ease' && !ease) throw new Error('EASE was not trained');
    const cf =
      needCf && !ease
        ? scoreBatch(options.kernels.score, x, batch.length, model.itemFactors, n, k)
        : null;
    const easeRow = ease && needCf ? new Float32Array(n) : null;
    batch.forEach((user, r) => {
      const history = historyOf(matrix, matrix.userIndex.get(user)!);
      const owned = new Set(history.items);
      const userTruth = truth.get(user)!;
      const row = easeRow
        ? scoreEase(ease!, ease!.column, history.items, easeRow)
        : cf
          ? cf.subarray(r * n, (r + 1) * n)
          : null;
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
 * Popularity goes up to 4× the CF weight: on sparse catalogues CF is best used to reorder the
 * popular items rather than to replace them. With repeats excluded the re-buy weight changes
 * nothing (re-buy only scores items the member owns, which are filtered out), so that grid keeps
 * re-buy at 0 and tries the finer CF/popularity ratios in the same time.
 */
export function blendGrid(
  incumbent?: BlendWeights,
  options: { excludeRepeats?: boolean } = {},
): BlendWeights[] {
  const grid: BlendWeights[] = incumbent ? [incumbent] : [];
  const rebuys = options.excludeRepeats ? [0] : [0, 0.5, 1, 2];
  const popularities = options.excludeRepeats
    ? [0, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4]
    : [0, 0.1, 0.25, 0.5, 1, 2, 4];
  for (const cf of [0, 0.5, 1])
    for (const rebuy of rebuys)
      for (const popularity of popularities)
        if (cf + rebuy + popularity > 0) grid.push({ cf, rebuy, popularity });
  return grid;
}

export const BASELINES: Record<string, BlendWeights> = {
  popularity: { cf: 0, rebuy: 0, popularity: 1 },
  're-buy': { cf: 0, rebuy: 1, popularity: 0 },
  iALS: { cf: 1, rebuy: 0, popularity: 0 },
};

/** The CF-only row of each CF model. */
const CF_ONLY: BlendWeights = { cf: 1, rebuy: 0, popularity: 0 };

export interface ModelResult {
  model: string;
  weights: BlendWeights;
  /** The CF model behind the weights' cf part. */
  source: CfModel;
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
    /** Days of events the popularity component counts, picked with the weights. */
    popularityWindowDays: number;
    /** The CF model the blend uses, picked by validation NDCG@10. */
    cf: CfModel;
    /** Best validation NDCG@10 reached with each CF model. */
    bestBySource: Partial<Record<CfModel, number>>;
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
    /** Popularity windows tried on validation (default: the base one). */
    popularityWindows?: number[];
    tuneUsers?: number;
    /** Also train EASE and let validation pick the blend's CF model (default true). */
    ease?: boolean;
    /** EASE λ values tried on validation (default: the base one). */
    easeLambdas?: number[];
  },
): EvaluationResult {
  const withEase = options.ease ?? true;
  const sources: CfModel[] = withEase ? ['ials', 'ease'] : ['ials'];
  const validation = applySplit(split.train, validationSpec);
  const validationTruth = testTruth(validation, options.excludeRepeats);
  const grid = blendGrid(base.weights, { excludeRepeats: options.excludeRepeats });
  const windows = options.popularityWindows ?? [base.popularityWindowDays];
  let best = {
    weights: base.weights,
    ndcg: -1,
    halfLifeDays: base.halfLifeDays,
    popularityWindowDays: base.popularityWindowDays,
    source: 'ials' as CfModel,
  };
  const bestBySource: Partial<Record<CfModel, number>> = {};
  // EASE sees a binary matrix, so it does not depend on the half-life: one fit per λ.
  const baseEase = base.ease ?? DEFAULT_EASE_PARAMS;
  const lambdas = withEase ? (options.easeLambdas ?? [baseEase.lambda]) : [];
  const easeFits = new Map<number, ModelEase>();
  let bestLambda = { lambda: baseEase.lambda, ndcg: -1 };
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
    const candidates: { source: CfModel; lambda?: number }[] = [
      { source: 'ials' },
      ...lambdas.map((lambda) => ({ source: 'ease' as const, lambda })),
    ];
    for (const popularityWindowDays of windows) {
      trained.model.popularity = popularityScores(
        validation.train,
        trained.model.itemIndex,
        trained.model.asOf,
        popularityWindowDays,
      );
      for (const { source, lambda } of candidates) {
        if (lambda !== undefined) {
          let fit = easeFits.get(lambda);
          if (!fit) {
            const step = options.step(`tune: fit EASE (λ ${lambda})`);
            fit = fitEase(trained.matrix, { ...baseEase, lambda });
            step.done();
            easeFits.set(lambda, fit);
          }
          trained.model.ease = fit;
        }
        const label = `${lambda === undefined ? source : `${source} λ ${lambda}`}, popularity ${popularityWindowDays} d`;
        const tune = options.step(`tune: ${grid.length} weightings (${label})`);
        const rows = evaluateBlends(trained, validationTruth, grid, {
          excludeRepeats: options.excludeRepeats,
          kernels: options.kernels,
          maxUsers: options.tuneUsers ?? 1500,
          source,
          onProgress: (d, t) => tune.tick(d, t),
        });
        tune.done();
        rows.forEach((metrics, g) => {
          bestBySource[source] = Math.max(bestBySource[source] ?? -1, metrics.ndcg10);
          if (lambda !== undefined && metrics.ndcg10 > bestLambda.ndcg)
            bestLambda = { lambda, ndcg: metrics.ndcg10 };
          if (metrics.ndcg10 > best.ndcg)
            best = {
              weights: grid[g],
              ndcg: metrics.ndcg10,
              halfLifeDays,
              popularityWindowDays,
              source,
            };
        });
      }
    }
  }
  const params: RecommenderParams = {
    ...base,
    halfLifeDays: best.halfLifeDays,
    popularityWindowDays: best.popularityWindowDays,
    weights: best.weights,
    cf: best.source,
    ease: { ...baseEase, lambda: bestLambda.lambda },
  };
  const trainStep = options.step('train on the training split');
  const started = performance.now();
  const trained = trainRecommender(
    split.train,
    categories,
    params,
    options.kernels,
    (i, n) => trainStep.tick(i, n),
    { ease: withEase },
  );
  const trainMs = performance.now() - started;
  trainStep.done();
  const truth = testTruth(split, options.excludeRepeats);
  type Row = { model: string; weights: BlendWeights; source: CfModel };
  const models: Row[] = Object.entries(BASELINES).map(([model, weights]): Row => ({
    model,
    weights,
    source: 'ials',
  }));
  if (withEase) models.push({ model: 'EASE', weights: CF_ONLY, source: 'ease' });
  models.push({ model: 'blend', weights: best.weights, source: best.source });
  const evalStep = options.step('score the test split');
  const results: ModelResult[] = [];
  for (const source of sources) {
    const mine = models.filter((m) => m.source === source);
    const metrics = evaluateBlends(
      trained,
      truth,
      mine.map((m) => m.weights),
      {
        excludeRepeats: options.excludeRepeats,
        kernels: options.kernels,
        source,
        onProgress: (d, t) => evalStep.tick(d, t),
      },
    );
    mine.forEach((m, i) => results.push({ ...m, metrics: metrics[i] }));
  }
  // The popularity baseline is the model's own popularity (the tuned window); the untuned default
  // window is scored too, so a blend that only wins by its window does not pass for personalisation.
  if (best.popularityWindowDays !== base.popularityWindowDays) {
    const model = {
      ...trained.model,
      popularity: popularityScores(
        split.train,
        trained.model.itemIndex,
        trained.model.asOf,
        base.popularityWindowDays,
      ),
    };
    const [metrics] = evaluateBlends({ ...trained, model }, truth, [BASELINES.popularity], {
      excludeRepeats: options.excludeRepeats,
      kernels: options.kernels,
    });
    const row = {
      model: `popularity (${base.popularityWindowDays} d)`,
      weights: BASELINES.popularity,
      source: 'ials' as CfModel,
    };
    models.splice(1, 0, row);
    results.push({ ...row, metrics });
  }
  evalStep.done();
  results.sort(
    (a, b) =>
      models.findIndex((m) => m.model === a.model) - models.findIndex((m) => m.model === b.model),
  );
  return {
    split: split.description,
    excludeRepeats: options.excludeRepeats,
    params,
    validation: {
      split: validation.description,
      best: best.weights,
      bestNdcg10: best.ndcg,
      tried: grid.length * (1 + lambdas.length) * (options.halfLives?.length ?? 1) * windows.length,
      halfLifeDays: best.halfLifeDays,
      popularityWindowDays: best.popularityWindowDays,
      cf: best.source,
      bestBySource,
    },
    results,
    trainMs,
    trainInteractions: split.train.length,
    testUsers: results[0]?.metrics.users ?? 0,
  };
}
