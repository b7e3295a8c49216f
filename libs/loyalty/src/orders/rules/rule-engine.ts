import type { PurchaseRuleConfig, RuleCaps } from '@app/db';

/** Multipliers are stored as decimals (1.5) and computed exactly in basis points. */
const BP = 10_000n;

export interface PurchaseLineInput {
  lineNo: number;
  productId: string;
  category?: string | null;
  paidMinor: number;
}

export interface PurchaseEvaluation {
  points: number;
  /** Points per line, in input order; Σ = points. */
  linePoints: number[];
  eligibleMinor: number;
  /** Why the order earned nothing, when it did not. */
  skipped?: 'below_minimum' | 'nothing_eligible';
}

/** What a brand without a purchase rule earns: 1 point per major currency unit paid. */
export const DEFAULT_PURCHASE_CONFIG: PurchaseRuleConfig = { pointsPerUnit: 1 };

export const toBasisPoints = (multiplier: number): bigint =>
  BigInt(Math.round(multiplier * 10_000));

const digitsByCurrency = new Map<string, number>();

/** Minor digits of an ISO 4217 currency (USD 2, JPY 0, KWD 3); memoised (Intl is slow to build). */
export function minorDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    if (digitsByCurrency.size < 1000) digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/** The line's multiplier in basis points; 0 when excluded. Product beats category. */
export function lineMultiplierBp(config: PurchaseRuleConfig, line: PurchaseLineInput): bigint {
  if (config.excludedProducts?.includes(line.productId)) return 0n;
  if (line.category && config.excludedCategories?.includes(line.category)) return 0n;
  const product = config.productMultipliers?.[line.productId];
  if (product !== undefined) return toBasisPoints(product);
  const category = line.category ? config.categoryMultipliers?.[line.category] : undefined;
  if (category !== undefined) return toBasisPoints(category);
  return BP;
}

/**
 * Purchase points, exact in integers:
 * floor(Σ line paidMinor × line multiplier × pointsPerUnit × tier multiplier / 10^minorDigits),
 * one floor for the whole order (so ×1.5 tier on 1 point lines is not lost line by line). Orders
 * whose paid total is below `minOrderMinor` earn nothing. The points are spread over the lines by
 * largest remainder, so Σ line points = order points and a refund can claw back per line.
 */
export function evaluatePurchase(
  config: PurchaseRuleConfig,
  lines: PurchaseLineInput[],
  options: { paidTotalMinor: number; currencyDigits: number; tierMultiplierBp?: number },
): PurchaseEvaluation {
  const zero = (skipped: PurchaseEvaluation['skipped'], eligibleMinor = 0): PurchaseEvaluation => ({
    points: 0,
    linePoints: lines.map(() => 0),
    eligibleMinor,
    skipped,
  });
  if (config.minOrderMinor !== undefined && options.paidTotalMinor < config.minOrderMinor)
    return zero('below_minimum');
  const ppuBp = toBasisPoints(config.pointsPerUnit ?? 1);
  const tierBp = BigInt(options.tierMultiplierBp ?? 10_000);
  const weights = lines.map((line) => BigInt(line.paidMinor) * lineMultiplierBp(config, line));
  const eligibleMinor = lines.reduce(
    (sum, line, i) => sum + (weights[i] > 0n ? line.paidMinor : 0),
    0,
  );
  const total = weights.reduce((a, b) => a + b, 0n);
  if (total === 0n) return zero('nothing_eligible', eligibleMinor);
  const denominator = BP * BP * BP * 10n ** BigInt(options.currencyDigits);
  const points = Number((total * ppuBp * tierBp) / denominator);
  return { points, linePoints: allocateLargestRemainder(points, weights), eligibleMinor };
}

/**
 * Splits `total` over `weights` proportionally with integer parts and the remainder given to the
 * largest fractional parts (ties: earlier index). Σ result = total; zero weight → 0.
 */
export function allocateLargestRemainder(total: number, weights: bigint[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n || total === 0) return weights.map(() => 0);
  const t = BigInt(total);
  const base = weights.map((w) => (w * t) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (w * t) % sum }));
  let left = total - Number(base.reduce((a, b) => a + b, 0n));
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const out = base.map(Number);
  for (const { i } of remainders) {
    if (left <= 0) break;
    if (weights[i] === 0n) continue;
    out[i] += 1;
    left -= 1;
  }
  return out;
}

/**
 * Share of a line's `total` (money or points) refunded when its refunded quantity goes from
 * `before` to `after` of `quantity`: proportional, floored, and exactly the rest on the last unit,
 * so a fully refunded line gives back exactly its total.
 */
export function proportionalShare(
  total: number,
  quantity: number,
  before: number,
  after: number,
): number {
  const upTo = (refunded: number) =>
    refunded >= quantity ? total : Math.floor((total * refunded) / quantity);
  return upTo(after) - upTo(before);
}

export type CapPeriod = 'perDay' | 'perWeek' | 'perMonth' | 'lifetime';

/** Start of the cap window containing `at` (UTC calendar: day, ISO week from Monday, month). */
export function capWindowStart(period: CapPeriod, at: Date): Date | null {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (period) {
    case 'perDay':
      return new Date(Date.UTC(y, m, d));
    case 'perWeek': {
      const weekday = (at.getUTCDay() + 6) % 7; // Monday = 0
      return new Date(Date.UTC(y, m, d - weekday));
    }
    case 'perMonth':
      return new Date(Date.UTC(y, m, 1));
    case 'lifetime':
      return null;
  }
}

export const CAP_PERIODS: CapPeriod[] = ['perDay', 'perWeek', 'perMonth', 'lifetime'];

/** The caps of a rule as windows to count awards in: [{ period, limit, since }]. */
export function capWindows(
  caps: RuleCaps,
  at: Date,
): { period: CapPeriod; limit: number; since: Date | null }[] {
  return CAP_PERIODS.filter((p) => caps[p] !== undefined && caps[p] !== null).map((period) => ({
    period,
    limit: caps[period] as number,
    since: capWindowStart(period, at),
  }));
}

/** The first cap reached given award counts per window (same order as `capWindows`), or null. */
export function capReached(
  windows: { period: CapPeriod; limit: number }[],
  counts: number[],
): CapPeriod | null {
  for (let i = 0; i < windows.length; i += 1) {
    if (counts[i] >= windows[i].limit) return windows[i].period;
  }
  return null;
}

/** Whether a rule is in force at `at`. */
export function ruleInForce(
  rule: { active: boolean; validFrom: Date | null; validTo: Date | null },
  at: Date,
): boolean {
  if (!rule.active) return false;
  if (rule.validFrom && at < rule.validFrom) return false;
  if (rule.validTo && at >= rule.validTo) return false;
  return true;
}
