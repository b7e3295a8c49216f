import * as tf from '@tensorflow/tfjs';
import type { HazardExample } from './features';

/**
 * Discrete-time hazard network: features → hidden ReLU layer → one logit per interval; the
 * sigmoid of logit k is h_k = P(next purchase in interval k | none before). Survival and window
 * probabilities follow from the product of (1 − h_k), so P(7 d) ≤ P(14 d) ≤ P(28 d) by construction.
 * Trained with TF.js; the weights are plain arrays so serving needs no TF.js (a few hundred
 * multiply-adds per member).
 */
export interface HazardWeights {
  /** The network adds to BG/NBD's hazard logits (hazardRates then needs them). */
  residual?: boolean;
  intervals: number;
  intervalDays: number;
  featureMean: number[];
  featureStd: number[];
  /** [in][out] */
  w1: number[][];
  b1: number[];
  w2: number[][];
  b2: number[];
}

export interface HazardTrainOptions {
  intervals: number;
  intervalDays: number;
  hidden?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  onEpoch?: (epoch: number, epochs: number, loss: number) => void;
}

/** mulberry32: reproducible shuffles. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function standardisation(examples: readonly HazardExample[]): { mean: number[]; std: number[] } {
  const d = examples[0].features.length;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (const e of examples) for (let j = 0; j < d; j++) mean[j] += e.features[j] / examples.length;
  for (const e of examples) for (let j = 0; j < d; j++) sq[j] += (e.features[j] - mean[j]) ** 2;
  const std = sq.map((s) => Math.sqrt(s / examples.length) || 1);
  return { mean, std };
}

export async function trainHazard(
  examples: readonly HazardExample[],
  options: HazardTrainOptions,
): Promise<HazardWeights> {
  if (examples.length === 0) throw new Error('trainHazard: no examples');
  const { intervals, intervalDays } = options;
  const hidden = options.hidden ?? 16;
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 1024;
  const l2 = options.l2 ?? 1e-4;
  const rand = random(options.seed ?? 7);
  const d = examples[0].features.length;
  const { mean, std } = standardisation(examples);

  const n = examples.length;
  const x = new Float32Array(n * d);
  const y = new Float32Array(n * intervals);
  const m = new Float32Array(n * intervals);
  const residual = examples[0].offset !== undefined;
  const o = new Float32Array(n * intervals);
  let events = 0;
  let atRisk = 0;
  examples.forEach((e, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = (e.features[j] - mean[j]) / std[j];
    for (let k = 0; k < intervals; k++) {
      y[i * intervals + k] = e.targets[k];
      o[i * intervals + k] = e.offset?.[k] ?? 0;
      m[i * intervals + k] = e.mask[k];
      events += e.targets[k];
      atRisk += e.mask[k];
    }
  });
  const baseRate = Math.min(0.99, Math.max(0.001, events / Math.max(atRisk, 1)));

  const glorot = (fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return Float32Array.from({ length: fanIn * fanOut }, () => (rand() * 2 - 1) * limit);
  };
  const w1 = tf.variable(tf.tensor2d(glorot(d, hidden), [d, hidden]));
  const b1 = tf.variable(tf.zeros([hidden]));
  // Residual: start (almost) exactly at BG/NBD. Otherwise start every interval at the average
  // hazard: training then only learns differences.
  const w2 = tf.variable(
    tf.tensor2d(
      glorot(hidden, intervals).map((v) => (residual ? v * 0.01 : v)),
      [hidden, intervals],
    ),
  );
  const b2 = tf.variable(tf.fill([intervals], residual ? 0 : Math.log(baseRate / (1 - baseRate))));
  const optimizer = tf.train.adam(options.learningRate ?? 0.01);
  const order = Array.from({ length: n }, (_, i) => i);

  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let lossSum = 0;
      let batches = 0;
      for (let start = 0; start < n; start += batchSize) {
        const idx = order.slice(start, start + batchSize);
        const bx = new Float32Array(idx.length * d);
        const by = new Float32Array(idx.length * intervals);
        const bm = new Float32Array(idx.length * intervals);
        const bo = new Float32Array(idx.length * intervals);
        idx.forEach((row, r) => {
          bx.set(x.subarray(row * d, row * d + d), r * d);
          by.set(y.subarray(row * intervals, (row + 1) * intervals), r * intervals);
          bm.set(m.subarray(row * intervals, (row + 1) * intervals), r * intervals);
          bo.set(o.subarray(row * intervals, (row + 1) * intervals), r * intervals);
        });
        const tx = tf.tensor2d(bx, [idx.length, d]);
        const ty = tf.tensor2d(by, [idx.length, intervals]);
        const tm = tf.tensor2d(bm, [idx.length, intervals]);
        const to = tf.tensor2d(bo, [idx.length, intervals]);
        const loss = optimizer.minimize(() => {
          const net = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tx, w1), b1)), w2), b2);
          const logits = tf.add(net, to);
          const ce = tf.losses.sigmoidCrossEntropy(ty, logits, tm);
          const penalty = tf.mul(l2, tf.add(tf.sum(tf.square(w1)), tf.sum(tf.square(w2))));
          return tf.add<tf.Scalar>(ce, penalty);
        }, true);
        tf.dispose([tx, ty, tm, to]);
        if (loss) {
          lossSum += (await loss.data())[0];
          loss.dispose();
        }
        batches++;
      }
      options.onEpoch?.(epoch + 1, epochs, lossSum / Math.max(batches, 1));
    }
    const to2d = async (v: tf.Variable, rows: number, cols: number) => {
      const data = await v.data();
      return Array.from({ length: rows }, (_, r) =>
        Array.from(data.subarray(r * cols, (r + 1) * cols)),
      );
    };
    return {
      residual,
      intervals,
      intervalDays,
      featureMean: mean,
      featureStd: std,
      w1: await to2d(w1, d, hidden),
      b1: Array.from(await b1.data()),
      w2: await to2d(w2, hidden, intervals),
      b2: Array.from(await b2.data()),
    };
  } finally {
    for (const v of [w1, b1, w2, b2]) v.dispose();
    optimizer.dispose();
  }
}

/** Per-interval hazards of one member (plain JS forward pass); `offset` for a residual network. */
export function hazardRates(
  weights: HazardWeights,
  features: readonly number[],
  offset?: readonly number[],
): number[] {
  if (weights.residual && !offset) throw new Error('hazardRates: a residual network needs offsets');
  const { w1, b1, w2, b2, featureMean, featureStd } = weights;
  const hidden = b1.map((bias, h) => {
    let s = bias;
    for (let j = 0; j < features.length; j++)
      s += ((features[j] - featureMean[j]) / featureStd[j]) * w1[j][h];
    return s > 0 ? s : 0;
  });
  return b2.map((bias, k) => {
    let s = bias + (weights.residual ? offset![k] : 0);
    for (let h = 0; h < hidden.length; h++) s += hidden[h] * w2[h][k];
    return 1 / (1 + Math.exp(-s));
  });
}

/** P(purchase within `days`), `days` a multiple of the interval length. */
export function probabilityWithin(
  hazards: readonly number[],
  intervalDays: number,
  days: number,
): number {
  let survive = 1;
  const k = Math.min(hazards.length, Math.round(days / intervalDays));
  for (let i = 0; i < k; i++) survive *= 1 - hazards[i];
  return 1 - survive;
}

/**
 * Median days to the next purchase from the survival curve (linear within an interval; beyond
 * the last interval its hazard is assumed to continue); undefined when it exceeds `maxDays`.
 */
export function medianDaysToPurchase(
  hazards: readonly number[],
  intervalDays: number,
  maxDays = 730,
): number | undefined {
  let survive = 1;
  for (let k = 0; k < hazards.length; k++) {
    const next = survive * (1 - hazards[k]);
    if (next <= 0.5) return k * intervalDays + (intervalDays * (survive - 0.5)) / (survive - next);
    survive = next;
  }
  const h = hazards[hazards.length - 1];
  if (!(h > 0)) return undefined;
  const extra = (Math.log(0.5 / survive) / Math.log(1 - h)) * intervalDays;
  const days = hazards.length * intervalDays + extra;
  return days <= maxDays ? days : undefined;
}
