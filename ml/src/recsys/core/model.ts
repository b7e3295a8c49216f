import { gzipSync, gunzipSync } from 'node:zlib';
import {
  DEFAULT_EASE_PARAMS,
  type EaseParams,
  type EaseWeights,
  chooseInverse,
  easeColumns,
  trainEase,
} from './ease';
import { DEFAULT_IALS_PARAMS, type IalsParams, trainIals } from './ials';
import {
  DAY_MS,
  type Interaction,
  type InteractionMatrix,
  aggregateInteractions,
} from './interactions';
import { type DenseKernels, gram } from './kernels';

/** Relative weights of the blend; each component is scaled to [0, 1] per member first. */
export interface BlendWeights {
  cf: number;
  rebuy: number;
  popularity: number;
}

/** Which collaborative-filtering model feeds the blend's CF part. */
export type CfModel = 'ials' | 'ease';

export interface RecommenderParams {
  ials: IalsParams;
  /** The CF part of the blend (picked on validation); iALS is always trained (fold-in, similar items). */
  cf?: CfModel;
  ease?: EaseParams;
  /** Half-life of the recency decay of the CF matrix and the re-buy scores. */
  halfLifeDays: number;
  /** Popularity counts events of this many days before the end of the data. */
  popularityWindowDays: number;
  weights: BlendWeights;
}

export const DEFAULT_RECOMMENDER_PARAMS: RecommenderParams = {
  ials: DEFAULT_IALS_PARAMS,
  halfLifeDays: 90,
  popularityWindowDays: 60,
  weights: { cf: 1, rebuy: 1, popularity: 0.25 },
  cf: 'ials',
  ease: DEFAULT_EASE_PARAMS,
};

/** EASE weights in a model, with the catalogue → row map used when scoring. */
export interface ModelEase extends EaseWeights {
  column: Int32Array;
}

/** The trained artefact served by the recommender: item side only (members fold in). */
export interface RecommenderModel {
  items: string[];
  itemIndex: Map<string, number>;
  categories: (string | null)[];
  k: number;
  itemFactors: Float32Array;
  /** YᵀY of the item factors, for fold-in. */
  gram: Float64Array;
  /** Recent popularity scaled to [0, 1]. */
  popularity: Float32Array;
  params: RecommenderParams;
  /** End of the training data (epoch ms): recency is measured from here. */
  asOf: number;
  /** Present when EASE was trained (params.cf = 'ease', or evaluation trains both). */
  ease?: ModelEase;
}

export interface TrainedRecommender {
  model: RecommenderModel;
  matrix: InteractionMatrix;
  userFactors: Float32Array;
}

/**
 * Recent-window popularity per item of `items`: how many distinct users touched it in the window
 * (weighted by their strongest event), so one bulk buyer does not make an item popular. Scaled so
 * the most popular item scores 1.
 */
export function popularityScores(
  interactions: readonly Interaction[],
  itemIndex: ReadonlyMap<string, number>,
  asOf: number,
  windowDays: number,
): Float32Array {
  const scores = new Float32Array(itemIndex.size);
  const from = asOf - windowDays * DAY_MS;
  const strongest = new Map<string, number>();
  for (const e of interactions) {
    if (e.at < from || e.at > asOf || !itemIndex.has(e.item)) continue;
    const key = `${e.item}\u0000${e.user}`;
    if ((strongest.get(key) ?? 0) < e.weight) strongest.set(key, e.weight);
  }
  for (const [key, weight] of strongest)
    scores[itemIndex.get(key.slice(0, key.indexOf('\u0000')))!] += weight;
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max > 0) for (let i = 0; i < scores.length; i++) scores[i] /= max;
  return scores;
}

export function trainRecommender(
  interactions: readonly Interaction[],
  categories: ReadonlyMap<string, string | null>,
  params: RecommenderParams,
  kernels: DenseKernels,
  onIteration?: (iteration: number, iterations: number) => void,
  options: { ease?: boolean } = {},
): TrainedRecommender {
  const matrix = aggregateInteractions(interactions, { halfLifeDays: params.halfLifeDays });
  const factors = trainIals(matrix, params.ials, kernels, (p) =>
    onIteration?.(p.iteration, p.iterations),
  );
  const k = params.ials.factors;
  const model: RecommenderModel = {
    items: matrix.items,
    itemIndex: matrix.itemIndex,
    categories: matrix.items.map((item) => categories.get(item) ?? null),
    k,
    itemFactors: factors.itemFactors,
    gram: gram(kernels.gram, factors.itemFactors, matrix.items.length, k),
    popularity: popularityScores(
      interactions,
      matrix.itemIndex,
      matrix.asOf,
      params.popularityWindowDays,
    ),
    params,
    asOf: matrix.asOf,
  };
  if (options.ease ?? params.cf === 'ease') model.ease = fitEase(matrix, params.ease);
  return { model, matrix, userFactors: factors.userFactors };
}

/** EASE over the matrix's most-interacted items, the inverse on the faster kernel. */
export function fitEase(
  matrix: InteractionMatrix,
  params: EaseParams = DEFAULT_EASE_PARAMS,
): ModelEase {
  const size = Math.min(params.maxItems, matrix.items.length);
  const weights = trainEase(matrix, params, chooseInverse(size));
  return { ...weights, column: easeColumns(weights, matrix.items.length) };
}

const MAGIC = 'RCS1';

interface ArtifactHeader {
  items: string[];
  categories: (string | null)[];
  k: number;
  params: RecommenderParams;
  asOf: number;
  /** Number of EASE-weighted items (0 or absent: no EASE section). */
  easeItems?: number;
}

/**
 * Gzipped `RCS1 | header length | JSON header | float32 item factors | float32 popularity`
 * then, with EASE, `int32 weighted items | float32 B (row-major)`.
 */
export function serializeModel(model: RecommenderModel): Buffer {
  const header: ArtifactHeader = {
    items: model.items,
    categories: model.categories,
    k: model.k,
    params: model.params,
    asOf: model.asOf,
    easeItems: model.ease?.items.length ?? 0,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return gzipSync(
    Buffer.concat([
      Buffer.from(MAGIC, 'ascii'),
      length,
      json,
      Buffer.from(
        model.itemFactors.buffer,
        model.itemFactors.byteOffset,
        model.itemFactors.byteLength,
      ),
      Buffer.from(
        model.popularity.buffer,
        model.popularity.byteOffset,
        model.popularity.byteLength,
      ),
      ...(model.ease
        ? [
            Buffer.from(
              model.ease.items.buffer,
              model.ease.items.byteOffset,
              model.ease.items.byteLength,
            ),
            Buffer.from(model.ease.b.buffer, model.ease.b.byteOffset, model.ease.b.byteLength),
          ]
        : []),
    ]),
  );
}

function floats(raw: Buffer, offset: number, count: number): Float32Array {
  // Copy: the gunzipped buffer's offset is not necessarily 4-byte aligned.
  const out = new Float32Array(count);
  Buffer.from(out.buffer).set(raw.subarray(offset, offset + count * 4));
  return out;
}

export function deserializeModel(artifact: Buffer, kernels: DenseKernels): RecommenderModel {
  const raw = gunzipSync(artifact);
  if (raw.subarray(0, 4).toString('ascii') !== MAGIC) throw new Error('not a recommender artefact');
  const length = raw.readUInt32LE(4);
  const header = JSON.parse(raw.subarray(8, 8 + length).toString('utf8')) as ArtifactHeader;
  const n = header.items.length;
  const itemFactors = floats(raw, 8 + length, n * header.k);
  const popularity = floats(raw, 8 + length + n * header.k * 4, n);
  let ease: ModelEase | undefined;
  const size = header.easeItems ?? 0;
  if (size) {
    const offset = 8 + length + n * header.k * 4 + n * 4;
    const items = new Int32Array(size);
    Buffer.from(items.buffer).set(raw.subarray(offset, offset + size * 4));
    const b = floats(raw, offset + size * 4, size * size);
    ease = { items, b, column: easeColumns({ items, b }, n) };
  }
  const itemIndex = new Map<string, number>();
  header.items.forEach((item, i) => itemIndex.set(item, i));
  return {
    items: header.items,
    itemIndex,
    categories: header.categories,
    k: header.k,
    itemFactors,
    gram: gram(kernels.gram, itemFactors, n, header.k),
    popularity,
    params: header.params,
    asOf: header.asOf,
    ...(ease ? { ease } : {}),
  };
}

/**
 * The fallback of a brand without a trained model yet: recent popularity and the member's own
 * purchases, no factors (k = 1, all zero, so fold-in yields nothing and CF contributes nothing).
 */
export function popularityOnlyModel(
  interactions: readonly Interaction[],
  categories: ReadonlyMap<string, string | null>,
): RecommenderModel {
  const items = [...new Set(interactions.map((e) => e.item))];
  const itemIndex = new Map(items.map((item, i) => [item, i]));
  let asOf = 0;
  for (const e of interactions) if (e.at > asOf) asOf = e.at;
  const params = { ...DEFAULT_RECOMMENDER_PARAMS, weights: { cf: 0, rebuy: 1, popularity: 0.25 } };
  return {
    items,
    itemIndex,
    categories: items.map((item) => categories.get(item) ?? null),
    k: 1,
    itemFactors: new Float32Array(items.length),
    gram: new Float64Array(1),
    popularity: popularityScores(interactions, itemIndex, asOf, params.popularityWindowDays),
    params,
    asOf,
  };
}
