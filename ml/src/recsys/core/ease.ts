import * as tf from '@tensorflow/tfjs';
import type { InteractionMatrix } from './interactions';

/**
 * EASE (Steck 2019): an item-item model with a closed form. With G = XᵀX + λI over the binary
 * user × item matrix X and P = G⁻¹, the weights are B = I − P·diag(1/diag(P)), i.e.
 * B_ij = −P_ij / P_jj off the diagonal and 0 on it; a user's scores are x_u·B.
 */
export interface EaseParams {
  /** L2 weight λ added to the diagonal of XᵀX. */
  lambda: number;
  /** Only the most-interacted items get weights (the inverse is cubic in their number). */
  maxItems: number;
}

// 2,000 items: the inverse takes ~10 s on this machine (wasm), and ~n³ beyond (BENCHMARKS.md).
export const DEFAULT_EASE_PARAMS: EaseParams = { lambda: 50, maxItems: 2_000 };

export interface EaseWeights {
  /** Matrix item index of each weighted column, most-interacted first. */
  items: Int32Array;
  /** m × m row-major B over `items` (zero diagonal). */
  b: Float32Array;
}

/** Which implementation inverts G: TF.js blocked Gauss–Jordan or typed arrays. */
export type InverseKernel = 'tf' | 'typed';

/** The `maxItems` items touched by the most distinct users (ties: lower index first). */
export function mostInteracted(m: InteractionMatrix, maxItems: number): Int32Array {
  const users = new Int32Array(m.items.length);
  for (let p = 0; p < m.indices.length; p++) users[m.indices[p]]++;
  const order = [...users.keys()].filter((i) => users[i] > 0);
  order.sort((a, b) => users[b] - users[a] || a - b);
  return Int32Array.from(order.slice(0, maxItems));
}

/** XᵀX + λI over the kept items (binary X: a user either touched an item or did not). */
export function easeGram(m: InteractionMatrix, items: Int32Array, lambda: number): Float64Array {
  const size = items.length;
  const column = new Int32Array(m.items.length).fill(-1);
  items.forEach((item, c) => (column[item] = c));
  const g = new Float64Array(size * size);
  const row: number[] = [];
  for (let u = 0; u < m.users.length; u++) {
    row.length = 0;
    for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
      const c = column[m.indices[p]];
      if (c >= 0) row.push(c);
    }
    for (const a of row) for (const b of row) g[a * size + b] += 1;
  }
  for (let i = 0; i < size; i++) g[i * size + i] += lambda;
  return g;
}

/**
 * In-place inverse of a symmetric positive-definite matrix by Gauss–Jordan pivoting on the
 * diagonal (no row exchanges needed: every pivot is a Schur complement of an SPD matrix).
 */
export function invertSpdTyped(a: Float64Array, n: number): Float64Array {
  const row = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const d = a[k * n + k];
    if (!(d > 0)) throw new RangeError('matrix is not positive definite');
    const ko = k * n;
    for (let j = 0; j < n; j++) row[j] = a[ko + j] / d;
    row[k] = 1 / d;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const io = i * n;
      const f = a[io + k];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) a[io + j] -= f * row[j];
      a[io + k] = -f / d;
    }
    a.set(row, ko);
  }
  return a;
}

/**
 * The same Gauss–Jordan sweep in blocks of `block` pivots, the O(n³) rank-`block` updates as
 * TF.js matMuls (float32): with C the pivot columns, T = A_KK⁻¹·(pivot rows), and C̃, T̃ those
 * with the pivot block replaced by −I and A_KK⁻¹, each step is A ← A∘mask − C̃·T̃ (mask zeroes
 * the pivot rows and columns). The b × b pivot block is inverted on typed arrays.
 */
export function invertSpdTf(a: Float64Array, n: number, block = 256): Float64Array {
  let current: tf.Tensor2D = tf.tensor2d(Float32Array.from(a), [n, n]);
  try {
    for (let s = 0; s < n; s += block) {
      const b = Math.min(block, n - s);
      const pivot = Float64Array.from(
        tf.tidy(() => current.slice([s, s], [b, b])).dataSync() as Float32Array,
      );
      const inverse = Float32Array.from(invertSpdTyped(pivot, b));
      const next = tf.tidy(() => {
        const p = tf.tensor2d(inverse, [b, b]);
        const rows = current.slice([s, 0], [b, n]);
        const t = tf.matMul(p, rows);
        const tTilde = tf.concat(
          [t.slice([0, 0], [b, s]), p, t.slice([0, s + b], [b, n - s - b])],
          1,
        );
        const c = current.slice([0, s], [n, b]);
        const cTilde = tf.concat(
          [c.slice([0, 0], [s, b]), tf.eye(b).neg(), c.slice([s + b, 0], [n - s - b, b])],
          0,
        );
        const keep = tf.concat([tf.ones([s]), tf.zeros([b]), tf.ones([n - s - b])]);
        const masked = current.mul(keep.reshape([n, 1])).mul(keep.reshape([1, n]));
        return masked.sub<tf.Tensor2D>(tf.matMul(cTilde, tTilde));
      });
      current.dispose();
      current = next;
    }
    return Float64Array.from(current.dataSync());
  } finally {
    current.dispose();
  }
}

export function invertSpd(kind: InverseKernel, a: Float64Array, n: number): Float64Array {
  return kind === 'tf' ? invertSpdTf(a, n) : invertSpdTyped(a, n);
}

/** B = I − P·diag(1/diag(P)) with a zero diagonal, from P = G⁻¹ (row-major, float32 out). */
export function easeWeightsFromInverse(p: Float64Array, n: number): Float32Array {
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) b[i * n + j] = -p[i * n + j] / p[j * n + j];
  return b;
}

export function trainEase(
  m: InteractionMatrix,
  params: EaseParams,
  inverse: InverseKernel,
): EaseWeights {
  const items = mostInteracted(m, params.maxItems);
  const size = items.length;
  const g = easeGram(m, items, params.lambda);
  return { items, b: easeWeightsFromInverse(invertSpd(inverse, g, size), size) };
}

/**
 * A user's EASE scores over the whole catalogue (`out`, length = catalogue size): the sum of B's
 * rows of the user's weighted items; items outside the weighted set score 0. `column` maps a
 * catalogue index to its row of B (−1 when not weighted).
 */
export function scoreEase(
  weights: EaseWeights,
  column: Int32Array,
  history: readonly number[],
  out: Float32Array,
): Float32Array {
  out.fill(0);
  const size = weights.items.length;
  for (const item of history) {
    const c = column[item];
    if (c < 0) continue;
    const o = c * size;
    for (let j = 0; j < size; j++) out[weights.items[j]] += weights.b[o + j];
  }
  return out;
}

/** Catalogue index → row of B (−1 for items without weights). */
export function easeColumns(weights: EaseWeights, catalogueSize: number): Int32Array {
  const column = new Int32Array(catalogueSize).fill(-1);
  weights.items.forEach((item, c) => (column[item] = c));
  return column;
}

export interface InverseTiming {
  size: number;
  tfMs: number;
  typedMs: number;
  faster: InverseKernel;
}

/** Times both inverses on a random SPD matrix of this size (a Gram matrix plus λI). */
export function measureInverse(size: number): InverseTiming {
  const a = new Float64Array(size * size);
  const rows = Math.max(2 * size, 64);
  const x = new Float64Array(rows * size);
  for (let i = 0; i < x.length; i++) x[i] = Math.random() < 0.05 ? 1 : 0;
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < size; i++) {
      const v = x[r * size + i];
      if (v) for (let j = 0; j < size; j++) a[i * size + j] += v * x[r * size + j];
    }
  for (let i = 0; i < size; i++) a[i * size + i] += 10;
  let started = performance.now();
  invertSpdTf(Float64Array.from(a), size);
  const tfMs = performance.now() - started;
  started = performance.now();
  invertSpdTyped(Float64Array.from(a), size);
  const typedMs = performance.now() - started;
  return { size, tfMs, typedMs, faster: tfMs < typedMs ? 'tf' : 'typed' };
}

const chosenInverse = new Map<string, InverseKernel>();

/** The faster inverse for matrices of about this size on the current backend (memoised). */
export function chooseInverse(size: number): InverseKernel {
  const probe = Math.min(size, 768);
  const key = `${tf.getBackend()}:${probe}`;
  let kind = chosenInverse.get(key);
  if (!kind) {
    kind = measureInverse(probe).faster;
    chosenInverse.set(key, kind);
  }
  return kind;
}
