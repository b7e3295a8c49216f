/**
 * Pure tier maths: which tier a member qualifies for on the rolling window, how far the next tier
 * is, and what a periodic review decides. No I/O, so every rule is unit-tested on its own.
 */

/** Length of the qualification window ending at the evaluation instant. */
export const QUALIFICATION_WINDOW_MONTHS = 12;
/** Default time between two reviews of a member's tier (after enrolment, upgrade or review). */
export const DEFAULT_REVIEW_PERIOD_MONTHS = 12;
/** Default grace between the downgrade warning and the review that may downgrade. */
export const DEFAULT_DOWNGRADE_GRACE_DAYS = 30;

export interface TierPolicy {
  reviewPeriodMonths: number;
  downgradeGraceDays: number;
}

export const DEFAULT_TIER_POLICY: TierPolicy = {
  reviewPeriodMonths: DEFAULT_REVIEW_PERIOD_MONTHS,
  downgradeGraceDays: DEFAULT_DOWNGRADE_GRACE_DAYS,
};

export interface TierThresholds {
  id: string;
  rank: number;
  minSpendMinor: number;
  minOrders: number;
  minEngagementPoints: number;
}

/** What a member did in the window. */
export interface QualifyingStats {
  /** Σ (paid − refunded) of orders placed in the window, minor units. */
  spendMinor: number;
  /** Orders placed in the window with a non-refunded amount. */
  orders: number;
  /** Σ points earned from behaviour rules in the window. */
  engagementPoints: number;
}

export const ZERO_STATS: QualifyingStats = { spendMinor: 0, orders: 0, engagementPoints: 0 };

export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}

/** Start (exclusive) of the rolling window ending at `asOf` (inclusive). */
export function windowStart(asOf: Date, months = QUALIFICATION_WINDOW_MONTHS): Date {
  return addMonths(asOf, -months);
}

export function sortByRank<T extends TierThresholds>(tiers: readonly T[]): T[] {
  return [...tiers].sort((a, b) => a.rank - b.rank);
}

export function meetsThresholds(tier: TierThresholds, stats: QualifyingStats): boolean {
  return (
    stats.spendMinor >= tier.minSpendMinor &&
    stats.orders >= tier.minOrders &&
    stats.engagementPoints >= tier.minEngagementPoints
  );
}

/** The entry tier: the lowest rank (rank 0 when configured as the API requires). */
export function entryTier<T extends TierThresholds>(tiers: readonly T[]): T | null {
  return sortByRank(tiers)[0] ?? null;
}

/**
 * Highest-ranked tier whose thresholds are ALL met; the entry tier when none is (so a member
 * always has a tier once the brand has any). Null only when the brand has no tiers.
 */
export function qualifyingTier<T extends TierThresholds>(
  tiers: readonly T[],
  stats: QualifyingStats,
): T | null {
  const sorted = sortByRank(tiers);
  for (let i = sorted.length - 1; i >= 0; i -= 1) {
    if (meetsThresholds(sorted[i], stats)) return sorted[i];
  }
  return sorted[0] ?? null;
}

export interface ThresholdProgress {
  have: number;
  need: number;
  remaining: number;
}

export interface TierProgress<T> {
  next: T;
  spendMinor: ThresholdProgress;
  orders: ThresholdProgress;
  engagementPoints: ThresholdProgress;
  /** True when every threshold of `next` is met (an upgrade is due). */
  qualifies: boolean;
}

const progressOf = (have: number, need: number): ThresholdProgress => ({
  have,
  need,
  remaining: Math.max(0, need - have),
});

/** Progress towards the tier ranked right above `currentRank`; null at the top tier. */
export function progressToNext<T extends TierThresholds>(
  tiers: readonly T[],
  currentRank: number,
  stats: QualifyingStats,
): TierProgress<T> | null {
  const next = sortByRank(tiers).find((tier) => tier.rank > currentRank);
  if (!next) return null;
  return {
    next,
    spendMinor: progressOf(stats.spendMinor, next.minSpendMinor),
    orders: progressOf(stats.orders, next.minOrders),
    engagementPoints: progressOf(stats.engagementPoints, next.minEngagementPoints),
    qualifies: meetsThresholds(next, stats),
  };
}

/** What an evaluation outside a review does: only ever upgrade. */
export function upgradeTarget<T extends TierThresholds>(
  tiers: readonly T[],
  currentRank: number,
  stats: QualifyingStats,
): T | null {
  const target = qualifyingTier(tiers, stats);
  return target && target.rank > currentRank ? target : null;
}

export type ReviewDecision<T> =
  | { action: 'upgrade'; to: T; nextReviewAt: Date }
  | { action: 'keep'; nextReviewAt: Date; clearWarning: boolean }
  | { action: 'warn'; qualifiesFor: T; nextReviewAt: Date }
  | { action: 'downgrade'; to: T; nextReviewAt: Date };

/**
 * The periodic review of one member. Still qualifying → keep (clearing any warning), next review
 * a period later. Not qualifying and not yet warned → warn, look again after the grace. Warned and
 * still not qualifying → downgrade to the highest tier they do qualify for.
 */
export function reviewDecision<T extends TierThresholds>(input: {
  tiers: readonly T[];
  currentRank: number;
  warned: boolean;
  stats: QualifyingStats;
  asOf: Date;
  policy?: TierPolicy;
}): ReviewDecision<T> {
  const policy = input.policy ?? DEFAULT_TIER_POLICY;
  const nextPeriod = addMonths(input.asOf, policy.reviewPeriodMonths);
  const qualifies = qualifyingTier(input.tiers, input.stats);
  if (!qualifies) return { action: 'keep', nextReviewAt: nextPeriod, clearWarning: input.warned };
  if (qualifies.rank > input.currentRank) {
    return { action: 'upgrade', to: qualifies, nextReviewAt: nextPeriod };
  }
  const current = input.tiers.find((tier) => tier.rank === input.currentRank);
  if (qualifies.rank === input.currentRank || !current) {
    return { action: 'keep', nextReviewAt: nextPeriod, clearWarning: input.warned };
  }
  if (!input.warned) {
    return {
      action: 'warn',
      qualifiesFor: qualifies,
      nextReviewAt: addDays(input.asOf, policy.downgradeGraceDays),
    };
  }
  return { action: 'downgrade', to: qualifies, nextReviewAt: nextPeriod };
}
