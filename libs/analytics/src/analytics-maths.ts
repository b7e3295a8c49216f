/** Longest window a dashboard query may cover: keeps every query bounded at any data size. */
export const MAX_RANGE_DAYS = 731;
export const DEFAULT_RANGE_DAYS = 90;
const DAY_MS = 86_400_000;

/** part / whole, or null when the whole is zero (a rate of nothing is unknown, not 0 %). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Rounds for display without losing meaning: 4 decimals for rates and averages. */
export function round4(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}

export interface DateRange {
  from: Date;
  to: Date;
}

/**
 * The window [from, to): defaults to the last DEFAULT_RANGE_DAYS days ending now; returns an
 * error text instead of a range when it is empty, reversed or longer than MAX_RANGE_DAYS.
 */
export function resolveRange(
  now: Date,
  from?: Date,
  to?: Date,
): { range: DateRange } | { error: string } {
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (start.getTime() >= end.getTime()) return { error: 'from must be before to' };
  if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS)
    return { error: `the range may cover at most ${MAX_RANGE_DAYS} days` };
  return { range: { from: start, to: end } };
}

/** Treatment minus holdout conversion, in percentage points of conversion rate (null if unknown). */
export function uplift(
  treatment: { members: number; converted: number },
  holdout: { members: number; converted: number },
): number | null {
  const t = ratio(treatment.converted, treatment.members);
  const h = ratio(holdout.converted, holdout.members);
  return t === null || h === null ? null : t - h;
}
