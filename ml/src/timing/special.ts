/**
 * Special functions for the BTYD likelihoods, in plain double precision. Every likelihood is
 * evaluated in log space because Γ(r + x) and (α + T)^(r + x) overflow for heavy buyers.
 */

/** Lanczos coefficients (g = 7, n = 9): ~15 significant digits for x > 0. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for real x > 0 (reflection below 0.5 keeps the series in its accurate range). */
export function logGamma(x: number): number {
  if (!(x > 0)) {
    if (Number.isInteger(x) || Number.isNaN(x)) return Number.NaN;
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx); only the magnitude is returned.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln(e^a + e^b) without overflow; −∞ operands are allowed. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const max = Math.max(a, b);
  return max + Math.log1p(Math.exp(-Math.abs(a - b)));
}

export class HypergeometricError extends Error {
  override readonly name = 'HypergeometricError';
}

/**
 * Gauss hypergeometric ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series. In the BTYD formulas
 * z = t / (α + T + t) < 1 and the parameters are positive, so every term is positive and the
 * series has no cancellation; terms shrink roughly like zⁿ, so z close to 1 (a long horizon for a
 * young customer) needs thousands of terms — the cap is generous and reaching it is an error
 * rather than a silently wrong number. Negative z (only from transformations) is accepted for
 * |z| < 1.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, maxTerms = 200_000): number {
  if (!(Math.abs(z) < 1)) throw new HypergeometricError(`hyp2f1: |z| must be < 1 (got ${z})`);
  if (z === 0) return 1;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (Math.abs(term) <= 1e-16 * Math.abs(sum)) return sum;
  }
  throw new HypergeometricError(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge`);
}
