/**
 * Small dense solvers for the k × k systems of ALS (k ≈ 16–128). TF.js has no linear solver, and
 * per-user systems are too small for a kernel launch to pay off, so these run on typed arrays.
 */

/**
 * Solves A x = b for symmetric positive-definite A (row-major k × k) by Cholesky, in place:
 * A is overwritten by its factor L, b by x. Throws when A is not positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, k: number): void {
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j];
    for (let p = 0; p < j; p++) d -= a[j * k + p] * a[j * k + p];
    if (d <= 0) throw new RangeError('matrix is not positive definite');
    const ljj = Math.sqrt(d);
    a[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let p = 0; p < j; p++) s -= a[i * k + p] * a[j * k + p];
      a[i * k + j] = s / ljj;
    }
  }
  // L y = b
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= a[i * k + p] * b[p];
    b[i] = s / a[i * k + i];
  }
  // Lᵀ x = y
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let p = i + 1; p < k; p++) s -= a[p * k + i] * b[p];
    b[i] = s / a[i * k + i];
  }
}

/**
 * Conjugate gradient for symmetric positive-definite A, warm-started from x (updated in place).
 * A few steps from the previous ALS iterate are as good as an exact solve (Takács et al.).
 */
export function conjugateGradient(
  a: Float64Array,
  b: Float64Array,
  x: Float64Array,
  k: number,
  steps: number,
): void {
  const r = new Float64Array(k);
  const p = new Float64Array(k);
  const ap = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let j = 0; j < k; j++) s -= a[i * k + j] * x[j];
    r[i] = s;
    p[i] = s;
  }
  let rr = 0;
  for (let i = 0; i < k; i++) rr += r[i] * r[i];
  for (let step = 0; step < steps && rr > 1e-20; step++) {
    let pap = 0;
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += a[i * k + j] * p[j];
      ap[i] = s;
      pap += p[i] * s;
    }
    const alpha = rr / pap;
    let next = 0;
    for (let i = 0; i < k; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * ap[i];
      next += r[i] * r[i];
    }
    const beta = next / rr;
    rr = next;
    for (let i = 0; i < k; i++) p[i] = r[i] + beta * p[i];
  }
}

/** YᵀY of a row-major n × k matrix, on typed arrays (k × k, float64 accumulation). */
export function gramTyped(y: Float32Array, n: number, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    const o = r * k;
    for (let i = 0; i < k; i++) {
      const yi = y[o + i];
      if (yi === 0) continue;
      const gi = i * k;
      for (let j = i; j < k; j++) g[gi + j] += yi * y[o + j];
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) g[i * k + j] = g[j * k + i];
  return g;
}

/** scores[i] = x · y_i for every row of the n × k item matrix. */
export function scoreAllTyped(
  x: Float32Array | Float64Array,
  y: Float32Array,
  n: number,
  k: number,
  out: Float32Array = new Float32Array(n),
): Float32Array {
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let s = 0;
    for (let f = 0; f < k; f++) s += x[f] * y[o + f];
    out[i] = s;
  }
  return out;
}
