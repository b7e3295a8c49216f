import {
  BTYD_MODELS,
  type BtydAlgorithm,
  type BtydParams,
  type RfmSummary,
  fitBtyd,
  probabilityPurchaseWithin,
} from './btyd';
import { type ClvOptions, DEFAULT_CLV, discountedClv } from './clv';
import {
  type BtydContext,
  type MemberHistory,
  boughtWithin,
  btydHazardLogits,
  buildHazardExamples,
  memberFeatures,
} from './features';
import {
  type GammaGammaParams,
  conditionalExpectedSpend,
  fitGammaGamma,
  populationMeanSpend,
} from './gamma-gamma';
import {
  type HazardWeights,
  hazardRates,
  medianDaysToPurchase,
  probabilityWithin,
  trainHazard,
} from './hazard';
import { type ClassificationScores, type ReliabilityBin, reliabilityCurve, score } from './metrics';
import { type RecencyTable, fitRecency, recencyPredict } from './recency';
import { HypergeometricError } from './special';
import { summarise } from './transactions';

export type ServedAlgorithm = 'hazard' | 'bgnbd' | 'recency';

/** Everything needed to score a member later without refitting (stored in model_versions). */
export interface TimingModelState {
  version: 1;
  /** Days per BTYD time unit: the platform fits in weeks, as the literature does. */
  unitDays: number;
  trainedThroughDay: number;
  btyd: { algorithm: BtydAlgorithm; params: BtydParams; logLikelihood: number; customers: number };
  /** Absent when too few members bought twice to fit it. */
  gammaGamma?: GammaGammaParams;
  /** Mean spend per purchase day over all members (fallback spend). */
  meanSpend: number;
  recency: RecencyTable;
  hazard?: HazardWeights;
  served: ServedAlgorithm;
  validation?: TimingValidation;
  clv: ClvOptions;
}

export interface TimingValidation {
  cutoffDay: number;
  /** 28-day purchase forecasts of each candidate on the last 28 days, unseen by the fits. */
  scores: Partial<Record<ServedAlgorithm, ClassificationScores>>;
  reliability: Partial<Record<ServedAlgorithm, ReliabilityBin[]>>;
}

export interface MemberPrediction {
  /** Epoch day of the median predicted next purchase; undefined when unlikely within 2 years. */
  nextPurchaseDay?: number;
  p7: number;
  p14: number;
  p28: number;
  pAlive: number;
  expectedPurchases12m: number;
  /** Discounted, in the currency unit of the amounts the model saw. */
  clv12m: number;
}

export interface TimingTrainOptions {
  unitDays?: number;
  /** Hazard: intervals × intervalDays is its horizon. */
  intervals?: number;
  intervalDays?: number;
  stepDays?: number;
  cutoffs?: number;
  maxExamples?: number;
  epochs?: number;
  hidden?: number;
  seed?: number;
  /** Below this many members only the BTYD model and the recency table are fitted. */
  minMembersForHazard?: number;
  clv?: ClvOptions;
  /** Validation window; selection needs outcomes, so the last `validationDays` are held out. */
  validationDays?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

const DEFAULTS = {
  unitDays: 7,
  intervals: 8,
  intervalDays: 7,
  stepDays: 14,
  cutoffs: 13,
  maxExamples: 200_000,
  epochs: 10,
  hidden: 16,
  seed: 7,
  minMembersForHazard: 200,
  validationDays: 28,
};

interface Fitted {
  btyd: TimingModelState['btyd'];
  gammaGamma?: GammaGammaParams;
  meanSpend: number;
  recency: RecencyTable;
  hazard?: HazardWeights;
}

function summariesAt(histories: readonly MemberHistory[], day: number, unitDays: number) {
  return histories.flatMap((h) => {
    const s = summarise(h, day, unitDays);
    return s ? [s] : [];
  });
}

async function fitAll(
  histories: readonly MemberHistory[],
  day: number,
  withHazard: boolean,
  o: typeof DEFAULTS & TimingTrainOptions,
): Promise<Fitted> {
  const summaries = summariesAt(histories, day, o.unitDays);
  o.onProgress?.('bgnbd', 0, 1);
  const fit = fitBtyd(BTYD_MODELS.bgnbd, summaries);
  o.onProgress?.('bgnbd', 1, 1);
  let gammaGamma: GammaGammaParams | undefined;
  // q ≤ 1 has no finite mean spend; a handful of repeaters cannot identify three parameters.
  if (summaries.filter((s) => s.frequency > 0).length >= 20) {
    const gg = fitGammaGamma(summaries);
    if (gg.params.q > 1) gammaGamma = gg.params;
  }
  let spend = 0;
  let purchases = 0;
  for (const h of histories)
    for (let i = 0; i < h.days.length && h.days[i] <= day; i++) {
      spend += h.amounts[i];
      purchases++;
    }
  const recency = fitRecency(histories, { lastDay: day, stepDays: o.stepDays, cutoffs: o.cutoffs });
  const btyd = {
    algorithm: fit.algorithm,
    params: fit.params,
    logLikelihood: fit.logLikelihood,
    customers: fit.customers,
  };
  let hazard: HazardWeights | undefined;
  if (withHazard) {
    const context: BtydContext = {
      model: BTYD_MODELS.bgnbd,
      params: fit.params,
      unitDays: o.unitDays,
    };
    const examples = buildHazardExamples(histories, {
      lastDay: day,
      intervals: o.intervals,
      intervalDays: o.intervalDays,
      stepDays: o.stepDays,
      cutoffs: o.cutoffs,
      btyd: context,
      maxExamples: o.maxExamples,
    });
    if (examples.length > 0)
      hazard = await trainHazard(examples, {
        intervals: o.intervals,
        intervalDays: o.intervalDays,
        epochs: o.epochs,
        hidden: o.hidden,
        seed: o.seed,
        onEpoch: (e, total) => o.onProgress?.('hazard', e, total),
      });
  }
  return { btyd, gammaGamma, meanSpend: purchases ? spend / purchases : 0, recency, hazard };
}

/** 28-day (and 7/14-day) purchase probabilities of one member under one candidate. */
function windowProbabilities(
  state: Fitted & { unitDays: number },
  algorithm: ServedAlgorithm,
  history: MemberHistory,
  day: number,
): { p7: number; p14: number; p28: number; hazards?: number[] } {
  if (algorithm === 'hazard' && state.hazard) {
    const context = {
      model: BTYD_MODELS.bgnbd,
      params: state.btyd.params,
      unitDays: state.unitDays,
    };
    const d = state.hazard.intervalDays;
    const hazards = hazardRates(
      state.hazard,
      memberFeatures(history, day, context),
      btydHazardLogits(history, day, context, state.hazard.intervals, d),
    );
    return {
      p7: probabilityWithin(hazards, d, 7),
      p14: probabilityWithin(hazards, d, 14),
      p28: probabilityWithin(hazards, d, 28),
      hazards,
    };
  }
  if (algorithm === 'recency') {
    let last = history.days[0];
    for (const d of history.days) if (d <= day) last = d;
    return recencyPredict(state.recency, day - last);
  }
  const model = BTYD_MODELS[state.btyd.algorithm];
  const s = summarise(history, day, state.unitDays)!;
  const p = (days: number) =>
    probabilityPurchaseWithin(model, state.btyd.params, s, days / state.unitDays);
  return { p7: p(7), p14: p(14), p28: p(28) };
}

/**
 * Scores the candidates on the last `validationDays`: everything is fitted on data up to the
 * validation cutoff and judged on who bought after it. Lower Brier score of the 28-day forecast
 * wins (a proper score: it rewards calibration and ranking), AUC breaks exact ties.
 */
function validate(
  histories: readonly MemberHistory[],
  fitted: Fitted & { unitDays: number },
  cutoff: number,
  windowDays: number,
): { validation: TimingValidation; best: ServedAlgorithm } {
  const members = histories.filter((h) => h.days[0] !== undefined && h.days[0] <= cutoff);
  const labels = members.map((h) => (boughtWithin(h, cutoff, windowDays) ? 1 : 0));
  const candidates: ServedAlgorithm[] = fitted.hazard
    ? ['hazard', 'bgnbd', 'recency']
    : ['bgnbd', 'recency'];
  const validation: TimingValidation = { cutoffDay: cutoff, scores: {}, reliability: {} };
  for (const algorithm of candidates) {
    const p = members.map((h) => windowProbabilities(fitted, algorithm, h, cutoff).p28);
    validation.scores[algorithm] = score(p, labels);
    validation.reliability[algorithm] = reliabilityCurve(p, labels);
  }
  const better = (a: ServedAlgorithm, b: ServedAlgorithm) => {
    const sa = validation.scores[a]!;
    const sb = validation.scores[b]!;
    if (sa.brier !== sb.brier) return sa.brier < sb.brier ? a : b;
    return (sa.auc || 0) >= (sb.auc || 0) ? a : b;
  };
  return { validation, best: candidates.reduce(better) };
}

/**
 * Trains a brand's timing model as of `nowDay`: validation on the last weeks picks the served
 * window model (hazard, BG/NBD or the recency table), then everything is refitted on all data.
 * BG/NBD (+ Gamma-Gamma) always provides P(alive), expected purchases and CLV.
 */
export async function trainTimingModel(
  histories: readonly MemberHistory[],
  nowDay: number,
  options: TimingTrainOptions = {},
): Promise<TimingModelState> {
  const o = { ...DEFAULTS, ...options };
  const active = histories.filter((h) => h.days.length > 0 && h.days[0] <= nowDay);
  if (active.length === 0) throw new Error('trainTimingModel: no member has purchased');
  const cutoff = nowDay - o.validationDays;
  const seenByCutoff = active.filter((h) => h.days[0] <= cutoff);
  const hazardPossible = seenByCutoff.length >= o.minMembersForHazard;
  let served: ServedAlgorithm = 'bgnbd';
  let validation: TimingValidation | undefined;
  if (seenByCutoff.length >= 2) {
    const early = await fitAll(seenByCutoff, cutoff, hazardPossible, o);
    const chosen = validate(
      seenByCutoff,
      { ...early, unitDays: o.unitDays },
      cutoff,
      o.validationDays,
    );
    // A validation window nobody bought in cannot rank anything: keep BG/NBD then.
    if (chosen.validation.scores.bgnbd && chosen.validation.scores.bgnbd.positives > 0)
      served = chosen.best;
    validation = chosen.validation;
  }
  const fitted = await fitAll(active, nowDay, served === 'hazard', o);
  return {
    version: 1,
    unitDays: o.unitDays,
    trainedThroughDay: nowDay,
    ...fitted,
    served,
    validation,
    clv: o.clv ?? DEFAULT_CLV,
  };
}

/** Scores one member as of `nowDay` with a stored model (no refit). */
export function predictMember(
  state: TimingModelState,
  history: MemberHistory,
  nowDay: number,
): MemberPrediction {
  const summary = summarise(history, nowDay, state.unitDays);
  if (!summary) throw new Error('predictMember: the member has no purchase yet');
  const model = BTYD_MODELS[state.btyd.algorithm];
  const params = state.btyd.params;
  const windows = windowProbabilities(state, state.served, history, nowDay);
  const pAlive = model.probabilityAlive(params, summary);
  const year = 365 / state.unitDays;
  const expectedPurchases12m = withinSeries(
    () => model.conditionalExpectedPurchases(params, summary, year),
    () => pAlive * ((params.r + summary.frequency) / (params.alpha + summary.T)) * year,
  );
  const monetary = summary.monetary;
  const spend = state.gammaGamma
    ? summary.frequency > 0
      ? conditionalExpectedSpend(state.gammaGamma, { frequency: summary.frequency, monetary })
      : populationMeanSpend(state.gammaGamma)
    : summary.frequency > 0
      ? monetary
      : state.meanSpend;
  const clv12m = withinSeries(
    () => discountedClv(model, params, summary, state.unitDays, spend, state.clv),
    () => expectedPurchases12m * spend * state.clv.margin,
  );
  const median = windows.hazards
    ? medianDaysToPurchase(windows.hazards, state.hazard!.intervalDays)
    : btydMedianDays(state, summary);
  return {
    nextPurchaseDay: median === undefined ? undefined : nowDay + Math.max(1, Math.round(median)),
    p7: windows.p7,
    p14: windows.p14,
    p28: windows.p28,
    pAlive,
    expectedPurchases12m,
    clv12m,
  };
}

/**
 * Degenerate fits (tiny brands) can put ₂F₁ out of reach of its series; then the member's
 * expected purchases fall back to the alive posterior rate (r + x)/(α + T) over the horizon,
 * ignoring future dropout, rather than failing the whole brand's refit.
 */
function withinSeries(exact: () => number, approximate: () => number): number {
  try {
    return exact();
  } catch (error) {
    if (error instanceof HypergeometricError) return approximate();
    throw error;
  }
}

/** Days until P(≥ 1 purchase) reaches ½ under BG/NBD (bisection); undefined beyond two years. */
function btydMedianDays(
  state: TimingModelState,
  summary: RfmSummary,
  maxDays = 730,
): number | undefined {
  const model = BTYD_MODELS[state.btyd.algorithm];
  const p = (days: number) =>
    probabilityPurchaseWithin(model, state.btyd.params, summary, days / state.unitDays);
  if (p(maxDays) < 0.5) return undefined;
  let lo = 0;
  let hi = maxDays;
  for (let i = 0; i < 40 && hi - lo > 0.25; i++) {
    const mid = (lo + hi) / 2;
    if (p(mid) >= 0.5) hi = mid;
    else lo = mid;
  }
  return hi;
}
