import { type BtydModel, type BtydParams, probabilityPurchaseWithin } from './btyd';
import type { PurchaseHistory } from './transactions';

/** A member's purchases plus, when the platform knows them, days of posts/reviews (engagement). */
export interface MemberHistory extends PurchaseHistory {
  engagementDays?: readonly number[];
}

/** A fitted BTYD model lends its P(alive) and 28-day purchase probability as features. */
export interface BtydContext {
  model: BtydModel;
  params: BtydParams;
  /** Days per time unit of `params` (7 when fitted in weeks). */
  unitDays: number;
}

export const FEATURE_NAMES = [
  'log_purchases',
  'log_days_since_last',
  'log_tenure_days',
  'log_mean_gap',
  'gap_cv',
  'log_overdue_ratio',
  'log_last_gap',
  'log_mean_spend',
  'log_purchases_28d',
  'log_purchases_91d',
  'log_engagement_91d',
  'season_sin',
  'season_cos',
  'btyd_p_alive',
  'btyd_p_28d',
] as const;

const log1p = Math.log1p;

/**
 * Features of a member as seen at the end of `cutoffDay` (nothing after it is looked at):
 * recency, frequency, tenure, inter-purchase gap mean / regularity (coefficient of variation) /
 * how overdue the member is against their own rhythm, spend, recent activity, engagement,
 * the season (day of year) and the BTYD view of the same history.
 */
export function memberFeatures(
  history: MemberHistory,
  cutoffDay: number,
  btyd?: BtydContext,
): number[] {
  const { days, amounts } = history;
  let n = 0;
  let spend = 0;
  let recent28 = 0;
  let recent91 = 0;
  while (n < days.length && days[n] <= cutoffDay) {
    spend += amounts[n];
    if (days[n] > cutoffDay - 28) recent28++;
    if (days[n] > cutoffDay - 91) recent91++;
    n++;
  }
  if (n === 0) throw new Error(`memberFeatures: no purchase on or before day ${cutoffDay}`);
  const first = days[0];
  const last = days[n - 1];
  const sinceLast = cutoffDay - last;
  const tenure = cutoffDay - first;
  let meanGap = 0;
  let cv = 0;
  if (n >= 2) {
    meanGap = (last - first) / (n - 1);
    if (n >= 3) {
      let ss = 0;
      for (let i = 1; i < n; i++) ss += (days[i] - days[i - 1] - meanGap) ** 2;
      cv = Math.min(3, Math.sqrt(ss / (n - 2)) / Math.max(meanGap, 1));
    }
  }
  let engagement = 0;
  for (const d of history.engagementDays ?? [])
    if (d <= cutoffDay && d > cutoffDay - 91) engagement++;
  const season = (2 * Math.PI * dayOfYear(cutoffDay)) / 365.25;
  let pAlive = 1;
  let p28 = 0;
  if (btyd) {
    const summary = {
      frequency: n - 1,
      recency: (last - first) / btyd.unitDays,
      T: tenure / btyd.unitDays,
    };
    pAlive = btyd.model.probabilityAlive(btyd.params, summary);
    p28 = probabilityPurchaseWithin(btyd.model, btyd.params, summary, 28 / btyd.unitDays);
  }
  return [
    log1p(n),
    log1p(sinceLast),
    log1p(tenure),
    log1p(meanGap),
    cv,
    n >= 2 ? log1p(sinceLast / Math.max(meanGap, 1)) : 0,
    n >= 2 ? log1p(last - days[n - 2]) : 0,
    log1p(Math.max(0, spend / n)),
    log1p(recent28),
    log1p(recent91),
    log1p(engagement),
    Math.sin(season),
    Math.cos(season),
    pAlive,
    p28,
  ];
}

function dayOfYear(epochDay: number): number {
  const date = new Date(epochDay * 86_400_000);
  return (epochDay - Date.UTC(date.getUTCFullYear(), 0, 1) / 86_400_000) | 0;
}

/**
 * BG/NBD's own per-interval hazards as logits: the hazard network learns a correction on top of
 * them (a residual), so it starts from BG/NBD and only moves where the data says so.
 */
export function btydHazardLogits(
  history: MemberHistory,
  cutoffDay: number,
  btyd: BtydContext,
  intervals: number,
  intervalDays: number,
): number[] {
  const { days } = history;
  let n = 0;
  while (n < days.length && days[n] <= cutoffDay) n++;
  const summary = {
    frequency: n - 1,
    recency: (days[n - 1] - days[0]) / btyd.unitDays,
    T: (cutoffDay - days[0]) / btyd.unitDays,
  };
  const out: number[] = [];
  let survivePrev = 1;
  for (let k = 1; k <= intervals; k++) {
    const survive =
      1 -
      probabilityPurchaseWithin(
        btyd.model,
        btyd.params,
        summary,
        (k * intervalDays) / btyd.unitDays,
      );
    const h = Math.min(1 - 1e-6, Math.max(1e-6, 1 - survive / survivePrev));
    out.push(Math.log(h / (1 - h)));
    survivePrev = Math.max(survive, 1e-12);
  }
  return out;
}

/** One training row of the discrete-time hazard model. */
export interface HazardExample {
  features: number[];
  /** BG/NBD hazard logits per interval (residual training), when a BTYD model was given. */
  offset?: number[];
  /** 1 in the interval of the next purchase, 0 in the intervals before it. */
  targets: number[];
  /** 1 where the interval was observed and at risk (before or at the next purchase). */
  mask: number[];
}

export interface HazardExampleOptions {
  /** Last day with known outcomes: intervals ending after it are censored. */
  lastDay: number;
  intervals: number;
  intervalDays: number;
  /** Distance between successive cutoffs going back from `lastDay`. */
  stepDays: number;
  cutoffs: number;
  btyd?: BtydContext;
  /**
   * About this many examples at most: a large brand is thinned to an evenly spaced subset of its
   * members before any example is built (a million members × 13 cutoffs would not fit in memory).
   */
  maxExamples?: number;
}

/**
 * Person-period examples: members are observed at several past cutoffs; each cutoff yields the
 * features then and, per interval of `intervalDays`, whether the next purchase fell into it —
 * censored where the data ends, so recent cutoffs still teach the early intervals.
 */
export function buildHazardExamples(
  histories: readonly MemberHistory[],
  options: HazardExampleOptions,
): HazardExample[] {
  const { lastDay, intervals, intervalDays, stepDays, cutoffs } = options;
  const max = options.maxExamples;
  const stride = max ? Math.max(1, (histories.length * cutoffs) / max) : 1;
  const members =
    stride > 1
      ? Array.from(
          { length: Math.floor(histories.length / stride) },
          (_, i) => histories[Math.floor(i * stride)],
        )
      : histories;
  const out: HazardExample[] = [];
  for (let c = 0; c < cutoffs; c++) {
    const cutoff = lastDay - intervalDays - c * stepDays;
    const observable = Math.min(intervals, Math.floor((lastDay - cutoff) / intervalDays));
    for (const h of members) {
      if (h.days[0] === undefined || h.days[0] > cutoff) continue;
      out.push({
        features: memberFeatures(h, cutoff, options.btyd),
        offset: options.btyd && btydHazardLogits(h, cutoff, options.btyd, intervals, intervalDays),
        ...labels(h, cutoff, observable, intervals, intervalDays),
      });
    }
  }
  return out;
}

function labels(
  h: MemberHistory,
  cutoff: number,
  observable: number,
  intervals: number,
  intervalDays: number,
): { targets: number[]; mask: number[] } {
  const next = h.days.find((d) => d > cutoff);
  const eventInterval = next === undefined ? Infinity : Math.ceil((next - cutoff) / intervalDays);
  const targets = new Array<number>(intervals).fill(0);
  const mask = new Array<number>(intervals).fill(0);
  for (let k = 1; k <= observable && k <= eventInterval; k++) {
    mask[k - 1] = 1;
    if (k === eventInterval) targets[k - 1] = 1;
  }
  return { targets, mask };
}

/** Did the member buy within `days` after `cutoffDay`? */
export function boughtWithin(h: PurchaseHistory, cutoffDay: number, days: number): boolean {
  return h.days.some((d) => d > cutoffDay && d <= cutoffDay + days);
}
