import { type DenseKernels, gram } from './kernels';
import { type InteractionMatrix, transpose } from './interactions';
import { choleskySolve, conjugateGradient } from './linalg';
import { seededRandom } from './random';

/** Hu–Koren–Volinsky implicit ALS hyper-parameters. */
export interface IalsParams {
  factors: number;
  /** L2 weight λ on every factor vector. */
  regularization: number;
  /** Confidence c = 1 + α·r for an observed (decayed, weighted, repeat-counted) r. */
  alpha: number;
  iterations: number;
  /** `cholesky` solves each k × k system exactly; `cg` takes `cgSteps` warm-started steps. */
  solver: 'cholesky' | 'cg';
  cgSteps: number;
  seed: number;
}

export const DEFAULT_IALS_PARAMS: IalsParams = {
  factors: 32,
  // Tuned on Complete Journey (BENCHMARKS.md): sparse baskets want strong shrinkage.
  regularization: 5,
  alpha: 5,
  iterations: 10,
  solver: 'cholesky',
  cgSteps: 3,
  seed: 42,
};

export interface IalsFactors {
  k: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
}

interface Sparse {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * Solves one row of ALS: x = (G + Σ (c−1) y yᵀ + λI)⁻¹ Σ c y over the row's observed columns,
 * where G = YᵀY of the fixed side. Writes x into `out` (which also warm-starts CG).
 */
export function solveRow(
  fixed: Float32Array,
  g: Float64Array,
  cols: ArrayLike<number>,
  vals: ArrayLike<number>,
  params: Pick<IalsParams, 'factors' | 'regularization' | 'alpha' | 'solver' | 'cgSteps'>,
  out: Float32Array,
  scratch: { a: Float64Array; b: Float64Array; x: Float64Array } = {
    a: new Float64Array(params.factors * params.factors),
    b: new Float64Array(params.factors),
    x: new Float64Array(params.factors),
  },
): void {
  const k = params.factors;
  const { a, b, x } = scratch;
  a.set(g);
  for (let f = 0; f < k; f++) a[f * k + f] += params.regularization;
  b.fill(0);
  for (let p = 0; p < cols.length; p++) {
    const o = cols[p] * k;
    const c = 1 + params.alpha * vals[p];
    const extra = c - 1;
    for (let i = 0; i < k; i++) {
      const yi = fixed[o + i];
      b[i] += c * yi;
      const s = extra * yi;
      if (s === 0) continue;
      const ai = i * k;
      for (let j = i; j < k; j++) a[ai + j] += s * fixed[o + j];
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) a[i * k + j] = a[j * k + i];
  if (params.solver === 'cg') {
    for (let f = 0; f < k; f++) x[f] = out[f];
    conjugateGradient(a, b, x, k, params.cgSteps);
    for (let f = 0; f < k; f++) out[f] = x[f];
  } else {
    choleskySolve(a, b, k);
    for (let f = 0; f < k; f++) out[f] = b[f];
  }
}

/** One half-step: recomputes every row of `target` with `fixed` held constant. */
export function alsHalfStep(
  target: Float32Array,
  rows: number,
  fixed: Float32Array,
  fixedRows: number,
  sparse: Sparse,
  params: IalsParams,
  kernels: DenseKernels,
): void {
  const k = params.factors;
  const g = gram(kernels.gram, fixed, fixedRows, k);
  const scratch = {
    a: new Float64Array(k * k),
    b: new Float64Array(k),
    x: new Float64Array(k),
  };
  for (let r = 0; r < rows; r++) {
    const start = sparse.indptr[r];
    const end = sparse.indptr[r + 1];
    const out = target.subarray(r * k, (r + 1) * k);
    if (start === end) {
      out.fill(0);
      continue;
    }
    solveRow(
      fixed,
      g,
      sparse.indices.subarray(start, end),
      sparse.values.subarray(start, end),
      params,
      out,
      scratch,
    );
  }
}

export interface TrainProgress {
  iteration: number;
  iterations: number;
}

/** Trains user and item factors by alternating least squares on the confidence-weighted matrix. */
export function trainIals(
  m: InteractionMatrix,
  params: IalsParams,
  kernels: DenseKernels,
  onIteration?: (progress: TrainProgress) => void,
): IalsFactors {
  const k = params.factors;
  const nUsers = m.users.length;
  const nItems = m.items.length;
  const random = seededRandom(params.seed);
  const scale = 0.01;
  const userFactors = new Float32Array(nUsers * k);
  const itemFactors = new Float32Array(nItems * k);
  for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = (random() - 0.5) * scale;
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = (random() - 0.5) * scale;
  const byUser: Sparse = { indptr: m.indptr, indices: m.indices, values: m.values };
  const byItem = transpose(m);
  for (let it = 0; it < params.iterations; it++) {
    alsHalfStep(userFactors, nUsers, itemFactors, nItems, byUser, params, kernels);
    alsHalfStep(itemFactors, nItems, userFactors, nUsers, byItem, params, kernels);
    onIteration?.({ iteration: it + 1, iterations: params.iterations });
  }
  return { k, userFactors, itemFactors };
}

/**
 * Fold-in: a member's vector from their interactions against fixed item factors — one k × k
 * solve, so a new purchase is reflected without retraining. `g` is YᵀY of the item factors.
 */
export function foldIn(
  itemFactors: Float32Array,
  g: Float64Array,
  items: ArrayLike<number>,
  values: ArrayLike<number>,
  params: Pick<IalsParams, 'factors' | 'regularization' | 'alpha'>,
): Float32Array {
  const out = new Float32Array(params.factors);
  if (items.length === 0) return out;
  solveRow(itemFactors, g, items, values, { ...params, solver: 'cholesky', cgSteps: 0 }, out);
  return out;
}
