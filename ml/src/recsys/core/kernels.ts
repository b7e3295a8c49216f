import * as tf from '@tensorflow/tfjs';
import { gramTyped, scoreAllTyped } from './linalg';

/**
 * The dense kernels of training and evaluation, each with a TF.js and a typed-array version.
 * Which is faster depends on the backend (tfjs-node's BLAS, wasm SIMD or plain cpu) and the shape,
 * so `measureKernels` times both on the actual shape and `chooseKernels` keeps the faster one.
 */
export interface DenseKernels {
  gram: 'tf' | 'typed';
  /** Batched all-item scoring (users × items), used by evaluation and bulk scoring. */
  score: 'tf' | 'typed';
}

export function gramTf(y: Float32Array, n: number, k: number): Float64Array {
  const out = tf.tidy(() => {
    const m = tf.tensor2d(y, [n, k]);
    return tf.matMul(m, m, true, false);
  });
  try {
    return Float64Array.from(out.dataSync());
  } finally {
    out.dispose();
  }
}

export function gram(kind: DenseKernels['gram'], y: Float32Array, n: number, k: number) {
  return kind === 'tf' ? gramTf(y, n, k) : gramTyped(y, n, k);
}

/** Scores a batch of user vectors (rows × k) against every item: rows × n, row-major. */
export function scoreBatch(
  kind: DenseKernels['score'],
  x: Float32Array,
  rows: number,
  y: Float32Array,
  n: number,
  k: number,
): Float32Array {
  if (kind === 'tf') {
    const out = tf.tidy(() =>
      tf.matMul(tf.tensor2d(x, [rows, k]), tf.tensor2d(y, [n, k]), false, true),
    );
    try {
      return out.dataSync() as Float32Array;
    } finally {
      out.dispose();
    }
  }
  const result = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    scoreAllTyped(x.subarray(r * k, (r + 1) * k), y, n, k, result.subarray(r * n, (r + 1) * n));
  }
  return result;
}

export interface KernelTiming {
  kernel: string;
  shape: string;
  tfMs: number;
  typedMs: number;
  faster: 'tf' | 'typed';
}

function time(fn: () => unknown, repeats: number): number {
  fn(); // warm-up: first TF.js call compiles/uploads
  const started = performance.now();
  for (let i = 0; i < repeats; i++) fn();
  return (performance.now() - started) / repeats;
}

function randomMatrix(n: number, k: number): Float32Array {
  const m = new Float32Array(n * k);
  for (let i = 0; i < m.length; i++) m[i] = Math.random() - 0.5;
  return m;
}

/** Times both implementations of each kernel on an n-item, k-factor shape. */
export function measureKernels(n: number, k: number, batch = 256, repeats = 3): KernelTiming[] {
  const y = randomMatrix(n, k);
  const x = randomMatrix(batch, k);
  const rows: KernelTiming[] = [];
  const gramTfMs = time(() => gramTf(y, n, k), repeats);
  const gramTypedMs = time(() => gramTyped(y, n, k), repeats);
  rows.push({
    kernel: 'gram YᵀY',
    shape: `${n}×${k}`,
    tfMs: gramTfMs,
    typedMs: gramTypedMs,
    faster: gramTfMs < gramTypedMs ? 'tf' : 'typed',
  });
  const scoreTfMs = time(() => scoreBatch('tf', x, batch, y, n, k), repeats);
  const scoreTypedMs = time(() => scoreBatch('typed', x, batch, y, n, k), repeats);
  rows.push({
    kernel: 'score batch X·Yᵀ',
    shape: `${batch}×${k} · ${k}×${n}`,
    tfMs: scoreTfMs,
    typedMs: scoreTypedMs,
    faster: scoreTfMs < scoreTypedMs ? 'tf' : 'typed',
  });
  return rows;
}

const chosen = new Map<string, DenseKernels>();

/** The faster implementation of each kernel for this shape on the current backend (memoised). */
export function chooseKernels(n: number, k: number): DenseKernels {
  const key = `${tf.getBackend()}:${Math.ceil(Math.log2(Math.max(2, n)))}:${k}`;
  let kernels = chosen.get(key);
  if (!kernels) {
    const [g, s] = measureKernels(Math.min(n, 20_000), k, 128, 2);
    kernels = { gram: g.faster, score: s.faster };
    chosen.set(key, kernels);
  }
  return kernels;
}
