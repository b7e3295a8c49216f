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

/** The UTC day (YYYY-MM-DD) of an instant. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Midnight UTC starting a day (YYYY-MM-DD), plus `days` days. */
export function dayStart(day: string, days = 0): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/**
 * Splits a window at whole UTC days: the days before `throughDay` it covers entirely are read from
 * the rollups, the slices left (the first partial day, and everything from the rollup boundary or
 * the last partial day on) are computed live. Without rollups, everything is live.
 */
export function splitWindow(
  range: DateRange,
  throughDay: string | null,
): { rolled: { from: string; to: string } | null; live: DateRange[] } {
  if (throughDay === null) return { rolled: null, live: [range] };
  const fromDay = utcDay(range.from);
  const a =
    dayStart(fromDay).getTime() === range.from.getTime() ? fromDay : utcDay(dayStart(fromDay, 1));
  const toDay = utcDay(range.to);
  const b = toDay < throughDay ? toDay : throughDay;
  if (a >= b) return { rolled: null, live: [range] };
  const live: DateRange[] = [];
  if (range.from < dayStart(a)) live.push({ from: range.from, to: dayStart(a) });
  if (dayStart(b) < range.to) live.push({ from: dayStart(b), to: range.to });
  return { rolled: { from: a, to: b }, live };
}

/** The first day of the month after the month of `day` (YYYY-MM-DD). */
export function nextMonth(day: string): string {
  const at = dayStart(`${day.slice(0, 7)}-01`);
  return utcDay(new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)));
}

/** The whole calendar months inside the days [from, to), as [first month start, end), or null. */
export function wholeMonths(from: string, to: string): { from: string; to: string } | null {
  const first = from.endsWith('-01') ? from : nextMonth(from);
  const end = `${to.slice(0, 7)}-01`;
  return first < end ? { from: first, to: end } : null;
}
