/** Evaluation metrics for probabilistic forecasts. */

/** Area under the ROC curve by ranks (ties share their mean rank); NaN with one class only. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => scores[i] - scores[j]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const meanRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] > 0) {
        positives++;
        rankSum += meanRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function brier(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += (probabilities[i] - labels[i]) ** 2;
  return sum / probabilities.length;
}

export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, probabilities[i]));
    sum -= labels[i] > 0 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probabilities.length;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

export function meanAbsoluteError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += Math.abs(predicted[i] - actual[i]);
  return sum / predicted.length;
}

export function rootMeanSquaredError(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
): number {
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += (predicted[i] - actual[i]) ** 2;
  return Math.sqrt(sum / predicted.length);
}

export interface ReliabilityBin {
  /** Bin lower edge (predicted probability). */
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Reliability curve: forecasts in equal-width bins, mean forecast vs observed frequency. */
export function reliabilityCurve(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): ReliabilityBin[] {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < probabilities.length; i++) {
    const b = Math.min(bins - 1, Math.floor(probabilities[i] * bins));
    count[b]++;
    sumP[b] += probabilities[i];
    sumY[b] += labels[i] > 0 ? 1 : 0;
  }
  return count.flatMap((c, b) =>
    c === 0
      ? []
      : [
          {
            from: b / bins,
            to: (b + 1) / bins,
            count: c,
            meanPredicted: sumP[b] / c,
            observedRate: sumY[b] / c,
          },
        ],
  );
}

/** AUC, Brier and log-loss of one set of forecasts. */
export interface ClassificationScores {
  auc: number;
  brier: number;
  logLoss: number;
  n: number;
  positives: number;
}

export function score(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
): ClassificationScores {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > 0) positives++;
  return {
    auc: auc(probabilities, labels),
    brier: brier(probabilities, labels),
    logLoss: logLoss(probabilities, labels),
    n: labels.length,
    positives,
  };
}
