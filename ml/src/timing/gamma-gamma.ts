import { logGamma } from './special';
import { LOG_BOUNDS, type MultiStartOptions, minimizeMultiStart } from './nelder-mead';

/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): each
 * transaction value ~ Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of the
 * purchase process. Fitted on customers with at least one repeat purchase, from their number of
 * repeat transactions x and the mean value of those transactions m_x.
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface SpendSummary {
  frequency: number;
  monetary: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  customers: number;
  iterations: number;
  converged: boolean;
  ms: number;
}

export function gammaGammaLogLikelihood(
  { p, q, gamma }: GammaGammaParams,
  { frequency: x, monetary: m }: SpendSummary,
): number {
  return (
    logGamma(p * x + q) -
    logGamma(p * x) -
    logGamma(q) +
    q * Math.log(gamma) +
    (p * x - 1) * Math.log(m) +
    p * x * Math.log(x) -
    (p * x + q) * Math.log(gamma + m * x)
  );
}

/** E[ν⁻¹]·p: the population's mean transaction value (finite only for q > 1). */
export function populationMeanSpend({ p, q, gamma }: GammaGammaParams): number {
  return q > 1 ? (p * gamma) / (q - 1) : Number.NaN;
}

/** E[Z | x, m_x]: a weighted mean of the population mean and the customer's own mean. */
export function conditionalExpectedSpend(params: GammaGammaParams, c: SpendSummary): number {
  const { p, q, gamma } = params;
  if (c.frequency <= 0) return populationMeanSpend(params);
  return (p * (gamma + c.frequency * c.monetary)) / (p * c.frequency + q - 1);
}

export function fitGammaGamma(
  data: readonly SpendSummary[],
  options: MultiStartOptions = {},
): GammaGammaFit {
  const started = performance.now();
  const rows = data.filter((c) => c.frequency > 0 && c.monetary > 0);
  if (rows.length === 0) throw new Error('fitGammaGamma: no repeat customers with spend');
  const mean = rows.reduce((s, c) => s + c.monetary, 0) / rows.length;
  const fromLog = ([p, q, g]: number[]): GammaGammaParams => ({
    p: Math.exp(p),
    q: Math.exp(q),
    gamma: Math.exp(g),
  });
  // The Γ terms depend on the customer only through x: evaluate them once per frequency.
  const byFrequency = new Map<number, number[]>();
  for (const c of rows) {
    const list = byFrequency.get(c.frequency);
    if (list) list.push(c.monetary);
    else byFrequency.set(c.frequency, [c.monetary]);
  }
  const groups = [...byFrequency.entries()].map(([x, ms]) => ({
    x,
    ms,
    logMs: ms.map((m) => Math.log(m)),
  }));
  const objective = (v: number[]) => {
    const { p, q, gamma } = fromLog(v);
    const logGammaQ = logGamma(q);
    const logG = Math.log(gamma);
    let sum = 0;
    for (const { x, ms, logMs } of groups) {
      const px = p * x;
      const head = logGamma(px + q) - logGamma(px) - logGammaQ + q * logG + px * Math.log(x);
      sum += head * ms.length;
      for (let i = 0; i < ms.length; i++)
        sum += (px - 1) * logMs[i] - (px + q) * Math.log(gamma + ms[i] * x);
    }
    return -sum / rows.length;
  };
  const L = Math.log;
  const starts = [
    [L(1), L(1), L(mean)],
    [L(5), L(3), L(mean / 2)],
    [L(0.5), L(5), L(mean * 4)],
  ];
  const best = minimizeMultiStart(objective, starts, { bounds: LOG_BOUNDS, ...options });
  return {
    params: fromLog(best.x),
    logLikelihood: -best.fx * rows.length,
    customers: rows.length,
    iterations: best.iterations,
    converged: best.converged,
    ms: Math.round(performance.now() - started),
  };
}
