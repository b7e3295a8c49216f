import {
  BTYD_MODELS,
  type BtydAlgorithm,
  type BtydFit,
  fitBtyd,
  probabilityPurchaseWithin,
} from './btyd';
import {
  type MemberHistory,
  boughtWithin,
  btydHazardLogits,
  buildHazardExamples,
  memberFeatures,
} from './features';
import { type GammaGammaFit, fitGammaGamma, populationMeanSpend } from './gamma-gamma';
import { type HazardWeights, hazardRates, probabilityWithin, trainHazard } from './hazard';
import {
  type ClassificationScores,
  type ReliabilityBin,
  meanAbsoluteError,
  pearson,
  reliabilityCurve,
  rootMeanSquaredError,
  score,
} from './metrics';
import { fitRecency, recencyPredict } from './recency';
import { earliestDay, purchasesBetween, summarise } from './transactions';

export interface HoldoutOptions {
  calibrationEnd: number;
  holdoutEnd: number;
  /** Days per BTYD time unit (7: weeks, as CDNOW is published). */
  unitDays?: number;
  /** Window of the classification metrics. */
  windowDays?: number;
  epochs?: number;
  hidden?: number;
  learningRate?: number;
  l2?: number;
  stepDays?: number;
  cutoffs?: number;
  seed?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface ForecastAccuracy {
  predictedTotal: number;
  correlation: number;
  mae: number;
  rmse: number;
}

export interface HoldoutEvaluation {
  customers: number;
  calibrationRepeat: number;
  holdoutActual: number;
  unitDays: number;
  fits: Record<BtydAlgorithm, BtydFit>;
  gammaGamma?: GammaGammaFit & { meanSpend: number };
  forecasts: Record<BtydAlgorithm, ForecastAccuracy>;
  windowDays: number;
  classification: Record<string, ClassificationScores>;
  reliability: Record<string, ReliabilityBin[]>;
  hazard: { examples: number; ms: number; weights: HazardWeights };
  /** Cumulative repeat purchases by week since the first purchase in the data. */
  tracking: { week: number; actual: number; bgnbd: number; mbgnbd: number }[];
  calibrationWeeks: number;
}

/**
 * The published evaluation protocol of Fader, Hardie & Lee (2005), extended: every model is
 * fitted on the calibration period only and judged on the holdout — aggregate and per-customer
 * forecasts of repeat purchases, and the probability of buying in the first `windowDays` days of
 * the holdout (AUC, Brier, reliability) for BG/NBD, MBG/NBD, the recency table and the TF.js
 * hazard model.
 */
export async function evaluateHoldout(
  histories: readonly MemberHistory[],
  options: HoldoutOptions,
): Promise<HoldoutEvaluation> {
  const { calibrationEnd, holdoutEnd } = options;
  const unitDays = options.unitDays ?? 7;
  const windowDays = options.windowDays ?? 28;
  const progress = options.onProgress;
  const cohort = histories.filter((h) => h.days[0] !== undefined && h.days[0] <= calibrationEnd);
  const summaries = cohort.map((h) => summarise(h, calibrationEnd, unitDays)!);
  const horizon = (holdoutEnd - calibrationEnd) / unitDays;

  const fits = {} as Record<BtydAlgorithm, BtydFit>;
  const forecasts = {} as Record<BtydAlgorithm, ForecastAccuracy>;
  const actual = cohort.map((h) => purchasesBetween(h, calibrationEnd, holdoutEnd));
  for (const algorithm of ['bgnbd', 'mbgnbd'] as const) {
    const model = BTYD_MODELS[algorithm];
    fits[algorithm] = fitBtyd(model, summaries, {
      onStart: (done, total) => progress?.(algorithm, done, total),
    });
    const predicted = summaries.map((s) =>
      model.conditionalExpectedPurchases(fits[algorithm].params, s, horizon),
    );
    forecasts[algorithm] = {
      predictedTotal: predicted.reduce((a, b) => a + b, 0),
      correlation: pearson(predicted, actual),
      mae: meanAbsoluteError(predicted, actual),
      rmse: rootMeanSquaredError(predicted, actual),
    };
  }
  let gammaGamma: HoldoutEvaluation['gammaGamma'];
  if (summaries.some((s) => s.frequency > 0)) {
    const gg = fitGammaGamma(summaries);
    gammaGamma = { ...gg, meanSpend: populationMeanSpend(gg.params) };
  }

  const labels = cohort.map((h) => (boughtWithin(h, calibrationEnd, windowDays) ? 1 : 0));
  const probabilities: Record<string, number[]> = {};
  for (const algorithm of ['bgnbd', 'mbgnbd'] as const)
    probabilities[algorithm] = summaries.map((s) =>
      probabilityPurchaseWithin(
        BTYD_MODELS[algorithm],
        fits[algorithm].params,
        s,
        windowDays / unitDays,
      ),
    );
  const stepDays = options.stepDays ?? 14;
  const cutoffs = options.cutoffs ?? 13;
  const recency = fitRecency(cohort, { lastDay: calibrationEnd, stepDays, cutoffs });
  probabilities.recency = summaries.map(
    (s) => recencyPredict(recency, Math.round((s.T - s.recency) * unitDays)).p28,
  );

  const started = performance.now();
  const context = { model: BTYD_MODELS.bgnbd, params: fits.bgnbd.params, unitDays };
  const intervals = 8;
  const examples = buildHazardExamples(cohort, {
    lastDay: calibrationEnd,
    intervals,
    intervalDays: 7,
    stepDays,
    cutoffs,
    btyd: context,
  });
  const weights = await trainHazard(examples, {
    intervals,
    intervalDays: 7,
    epochs: options.epochs ?? 10,
    hidden: options.hidden ?? 16,
    learningRate: options.learningRate,
    l2: options.l2,
    seed: options.seed ?? 7,
    onEpoch: (e, total) => progress?.('hazard', e, total),
  });
  const hazardMs = Math.round(performance.now() - started);
  probabilities.hazard = cohort.map((h) =>
    probabilityWithin(
      hazardRates(
        weights,
        memberFeatures(h, calibrationEnd, context),
        btydHazardLogits(h, calibrationEnd, context, intervals, 7),
      ),
      7,
      windowDays,
    ),
  );

  const classification: Record<string, ClassificationScores> = {};
  const reliability: Record<string, ReliabilityBin[]> = {};
  for (const [name, p] of Object.entries(probabilities)) {
    classification[name] = score(p, labels);
    reliability[name] = reliabilityCurve(p, labels);
  }

  return {
    customers: cohort.length,
    calibrationRepeat: summaries.reduce((s, c) => s + c.frequency, 0),
    holdoutActual: actual.reduce((a, b) => a + b, 0),
    unitDays,
    fits,
    gammaGamma,
    forecasts,
    windowDays,
    classification,
    reliability,
    hazard: { examples: examples.length, ms: hazardMs, weights },
    tracking: trackingCurve(cohort, fits, holdoutEnd, unitDays),
    calibrationWeeks: (calibrationEnd - earliestDay(cohort)) / 7,
  };
}

/**
 * Weekly cumulative repeat purchases: actual, and Σ over customers of the unconditional
 * E[X(t − first purchase)] (customers grouped by first day so each curve point costs one ₂F₁
 * per distinct acquisition day).
 */
function trackingCurve(
  cohort: readonly MemberHistory[],
  fits: Record<BtydAlgorithm, BtydFit>,
  holdoutEnd: number,
  unitDays: number,
): HoldoutEvaluation['tracking'] {
  const start = earliestDay(cohort);
  const weeks = Math.ceil((holdoutEnd - start + 1) / 7);
  const byFirst = new Map<number, number>();
  for (const h of cohort) byFirst.set(h.days[0], (byFirst.get(h.days[0]) ?? 0) + 1);
  const repeatDays = cohort.flatMap((h) => h.days.slice(1)).sort((a, b) => a - b);
  const out: HoldoutEvaluation['tracking'] = [];
  let i = 0;
  for (let week = 1; week <= weeks; week++) {
    const end = Math.min(start - 1 + week * 7, holdoutEnd);
    while (i < repeatDays.length && repeatDays[i] <= end) i++;
    const predicted = (algorithm: BtydAlgorithm) => {
      let sum = 0;
      for (const [first, count] of byFirst)
        if (end > first)
          sum +=
            count *
            BTYD_MODELS[algorithm].expectedPurchases(
              fits[algorithm].params,
              (end - first) / unitDays,
            );
      return sum;
    };
    out.push({ week, actual: i, bgnbd: predicted('bgnbd'), mbgnbd: predicted('mbgnbd') });
  }
  return out;
}
