import { hyp2f1, logAddExp, logGamma } from './special';
import { LOG_BOUNDS, type MultiStartOptions, minimizeMultiStart } from './nelder-mead';

/**
 * One customer's calibration summary in the BTYD convention: `frequency` x = repeat purchases
 * (same-day purchases count once), `recency` t_x = time of the last purchase since the first,
 * `T` = time from the first purchase to the end of calibration. Any time unit works as long as
 * forecasts use the same one (CDNOW's published parameters are in weeks).
 */
export interface RfmSummary {
  frequency: number;
  recency: number;
  T: number;
}

/** BG/NBD and MBG/NBD share the four parameters: purchase rate ~ Gamma(r, α), dropout p ~ Beta(a, b). */
export interface BtydParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export type BtydAlgorithm = 'bgnbd' | 'mbgnbd';

export interface BtydModel {
  algorithm: BtydAlgorithm;
  /** ln L of one customer. */
  logLikelihood(p: BtydParams, c: RfmSummary): number;
  /** Σ weight · ln L over customers grouped by frequency (the Γ terms once per frequency). */
  totalLogLikelihood(p: BtydParams, groups: readonly FrequencyGroup[]): number;
  /** E[X(t)] for a customer just acquired (the tracking plot). */
  expectedPurchases(p: BtydParams, t: number): number;
  /** E[Y(t) | x, t_x, T]: purchases in (T, T + t]. */
  conditionalExpectedPurchases(p: BtydParams, c: RfmSummary, t: number): number;
  probabilityAlive(p: BtydParams, c: RfmSummary): number;
}

/**
 * BG/NBD (Fader, Hardie & Lee 2005): a customer may drop out right after each repeat purchase.
 * Equations (6), (9), (10) and (A3) of the paper, in log space.
 */
export const BG_NBD: BtydModel = {
  algorithm: 'bgnbd',
  logLikelihood({ r, alpha, a, b }, { frequency: x, recency: tx, T }) {
    const a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
    const a2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
    const a3 = -(r + x) * Math.log(alpha + T);
    const a4 =
      x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
    return a1 + a2 + logAddExp(a3, a4);
  },
  totalLogLikelihood({ r, alpha, a, b }, groups) {
    const logAlpha = Math.log(alpha);
    const base = -logGamma(r) + r * logAlpha + logGamma(a + b) - logGamma(b);
    const logA = Math.log(a);
    let sum = 0;
    for (const { frequency: x, rows, weight } of groups) {
      const gx = logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
      const k = x > 0 ? logA - Math.log(b + x - 1) : -Infinity;
      let inner = 0;
      for (const c of rows) {
        const a3 = -(r + x) * Math.log(alpha + c.T);
        const a4 = x > 0 ? k - (r + x) * Math.log(alpha + c.recency) : -Infinity;
        inner += c.weight * logAddExp(a3, a4);
      }
      sum += weight * (base + gx) + inner;
    }
    return sum;
  },
  expectedPurchases({ r, alpha, a, b }, t) {
    const hyp = hyp2f1(r, b, a + b - 1, t / (alpha + t));
    return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp);
  },
  conditionalExpectedPurchases(p, c, t) {
    const { r, alpha, a, b } = p;
    const { frequency: x, T } = c;
    const hyp = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
    const numerator =
      ((a + b + x - 1) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp);
    return numerator * BG_NBD.probabilityAlive(p, c);
  },
  probabilityAlive({ r, alpha, a, b }, { frequency: x, recency: tx, T }) {
    if (x === 0) return 1;
    const odds = Math.exp(
      Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)),
    );
    return 1 / (1 + odds);
  },
};

/**
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007): as BG/NBD but a customer may also drop out at
 * time zero, so a one-off buyer is not assumed alive forever. No ₂F₁ in the likelihood.
 */
export const MBG_NBD: BtydModel = {
  algorithm: 'mbgnbd',
  logLikelihood({ r, alpha, a, b }, { frequency: x, recency: tx, T }) {
    const a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
    const a2 = logGamma(a + b) + logGamma(b + x + 1) - logGamma(b) - logGamma(a + b + x + 1);
    const a3 = -(r + x) * Math.log(alpha + T);
    const a4 = Math.log(a) - Math.log(b + x) - (r + x) * Math.log(alpha + tx);
    return a1 + a2 + logAddExp(a3, a4);
  },
  totalLogLikelihood({ r, alpha, a, b }, groups) {
    const base = -logGamma(r) + r * Math.log(alpha) + logGamma(a + b) - logGamma(b);
    const logA = Math.log(a);
    let sum = 0;
    for (const { frequency: x, rows, weight } of groups) {
      const gx = logGamma(r + x) + logGamma(b + x + 1) - logGamma(a + b + x + 1);
      const k = logA - Math.log(b + x);
      let inner = 0;
      for (const c of rows) {
        const a3 = -(r + x) * Math.log(alpha + c.T);
        const a4 = k - (r + x) * Math.log(alpha + c.recency);
        inner += c.weight * logAddExp(a3, a4);
      }
      sum += weight * (base + gx) + inner;
    }
    return sum;
  },
  expectedPurchases({ r, alpha, a, b }, t) {
    const hyp = hyp2f1(r, b + 1, a + b, t / (alpha + t));
    return (b / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp);
  },
  conditionalExpectedPurchases(p, c, t) {
    const { r, alpha, a, b } = p;
    const { frequency: x, T } = c;
    const hyp = hyp2f1(r + x, b + x + 1, a + b + x, t / (alpha + T + t));
    const numerator =
      ((a + b + x) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp);
    return numerator * MBG_NBD.probabilityAlive(p, c);
  },
  probabilityAlive({ r, alpha, a, b }, { frequency: x, recency: tx, T }) {
    const odds = Math.exp(
      Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)),
    );
    return 1 / (1 + odds);
  },
};

export const BTYD_MODELS: Record<BtydAlgorithm, BtydModel> = { bgnbd: BG_NBD, mbgnbd: MBG_NBD };

/**
 * P(at least one purchase in (T, T + t]). Dropout only ever happens right after a purchase, so a
 * customer alive at T buys in the window unless the Poisson clock stays silent; the posterior
 * rate of an alive customer is Gamma(r + x, α + T).
 */
export function probabilityPurchaseWithin(
  model: BtydModel,
  p: BtydParams,
  c: RfmSummary,
  t: number,
): number {
  const silent = Math.pow((p.alpha + c.T) / (p.alpha + c.T + t), p.r + c.frequency);
  return model.probabilityAlive(p, c) * (1 - silent);
}

/** Customers with the same (x, t_x, T) contribute identical terms: fit on the distinct rows. */
export interface WeightedRfm extends RfmSummary {
  weight: number;
}

/** Customers of one frequency: the rows share every Γ term of the likelihood. */
export interface FrequencyGroup {
  frequency: number;
  /** Total weight of the rows. */
  weight: number;
  rows: WeightedRfm[];
}

export function groupSummaries(data: readonly RfmSummary[]): FrequencyGroup[] {
  const rows = new Map<string, WeightedRfm>();
  for (const c of data) {
    const key = `${c.frequency}|${c.recency}|${c.T}`;
    const row = rows.get(key);
    if (row) row.weight++;
    else rows.set(key, { frequency: c.frequency, recency: c.recency, T: c.T, weight: 1 });
  }
  const groups = new Map<number, FrequencyGroup>();
  for (const row of rows.values()) {
    let group = groups.get(row.frequency);
    if (!group)
      groups.set(row.frequency, (group = { frequency: row.frequency, weight: 0, rows: [] }));
    group.weight += row.weight;
    group.rows.push(row);
  }
  return [...groups.values()];
}

export interface BtydFit {
  algorithm: BtydAlgorithm;
  params: BtydParams;
  logLikelihood: number;
  customers: number;
  iterations: number;
  converged: boolean;
  ms: number;
}

export function btydLogLikelihood(
  model: BtydModel,
  p: BtydParams,
  data: readonly RfmSummary[],
): number {
  return model.totalLogLikelihood(p, groupSummaries(data));
}

const fromLog = ([r, alpha, a, b]: number[]): BtydParams => ({
  r: Math.exp(r),
  alpha: Math.exp(alpha),
  a: Math.exp(a),
  b: Math.exp(b),
});

/**
 * Maximum likelihood by Nelder–Mead on the log-parameters (positivity for free), from several
 * starts scaled to the data's time unit (α is a time scale), best optimum kept.
 */
export function fitBtyd(
  model: BtydModel,
  data: readonly RfmSummary[],
  options: MultiStartOptions = {},
): BtydFit {
  const started = performance.now();
  const groups = groupSummaries(data);
  const customers = data.length;
  if (customers === 0) throw new Error('fitBtyd: no customers');
  const meanT = data.reduce((s, c) => s + c.T, 0) / customers || 1;
  const objective = (x: number[]) => -model.totalLogLikelihood(fromLog(x), groups) / customers;
  const L = Math.log;
  const starts = [
    [L(1), L(meanT), L(1), L(1)],
    [L(0.25), L(meanT / 10), L(0.8), L(2.5)],
    [L(2), L(meanT * 3), L(0.3), L(6)],
  ];
  const best = minimizeMultiStart(objective, starts, { bounds: LOG_BOUNDS, ...options });
  return {
    algorithm: model.algorithm,
    params: fromLog(best.x),
    logLikelihood: -best.fx * customers,
    customers,
    iterations: best.iterations,
    converged: best.converged,
    ms: Math.round(performance.now() - started),
  };
}
