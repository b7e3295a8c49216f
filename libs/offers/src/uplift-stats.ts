/** Two-sided 95 % normal quantile. */
export const Z95 = 1.959963984540054;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface ProportionTest extends Interval {
  /** Pooled two-proportion z statistic and its two-sided p-value. */
  z: number | null;
  pValue: number | null;
}

/**
 * Difference of conversion rates treatment − holdout with a 95 % Wald interval (unpooled SE) and
 * the pooled two-proportion z-test.
 */
export function twoProportion(
  xT: number,
  nT: number,
  xH: number,
  nH: number,
): ProportionTest | null {
  if (nT === 0 || nH === 0) return null;
  const pT = xT / nT;
  const pH = xH / nH;
  const diff = pT - pH;
  const se = Math.sqrt((pT * (1 - pT)) / nT + (pH * (1 - pH)) / nH);
  const pooled = (xT + xH) / (nT + nH);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / nT + 1 / nH));
  const z = sePooled > 0 ? diff / sePooled : null;
  return {
    estimate: diff,
    low: diff - Z95 * se,
    high: diff + Z95 * se,
    z,
    pValue: z === null ? null : 2 * (1 - normalCdf(Math.abs(z))),
  };
}

/** Sample of per-unit values summarised by count, sum and sum of squares. */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

/** Difference of means treatment − holdout with a 95 % normal-approximation (Welch) interval. */
export function meanDifference(t: Moments, h: Moments): Interval | null {
  if (t.n < 2 || h.n < 2) return null;
  const mean = (m: Moments) => m.sum / m.n;
  const variance = (m: Moments) => Math.max(0, (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1));
  const diff = mean(t) - mean(h);
  const se = Math.sqrt(variance(t) / t.n + variance(h) / h.n);
  return { estimate: diff, low: diff - Z95 * se, high: diff + Z95 * se };
}

/** Scales an interval (per-unit → totals over n units). */
export const scale = (i: Interval | null, k: number): Interval | null =>
  i && { estimate: i.estimate * k, low: i.low * k, high: i.high * k };
