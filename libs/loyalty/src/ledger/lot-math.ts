/**
 * Pure points maths: lot expiry, FIFO allocation, debt repayment and clawback plans. No I/O, so
 * the rules are unit-tested exactly; the service applies the plans under the member's lock.
 */

export type ExpiryMode = 'rolling' | 'end_of_month' | 'end_of_year' | 'never';

/** What the maths needs to know about an open lot. */
export interface LotView {
  id: string;
  remaining: number;
  earnedAt: Date;
  availableAt: Date;
  /** null: never expires. */
  expiresAt: Date | null;
}

export interface Allocation {
  lotId: string;
  points: number;
}

/** `date` plus `months` calendar months (UTC), clamped to the last day of a shorter month. */
export function addMonthsUtc(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(date.getUTCDate(), lastDay),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    ),
  );
}

/**
 * When a lot earned at `earnedAt` expires (the lot is expired from this instant on):
 * - rolling: exactly `months` calendar months later;
 * - end_of_month: at the end of the month (UTC) in which `earnedAt + months` falls, i.e. the
 *   first instant of the following month;
 * - end_of_year: at the end of the year (UTC) in which `earnedAt + months` falls;
 * - never: null.
 */
export function computeExpiry(earnedAt: Date, mode: ExpiryMode, months: number): Date | null {
  if (mode === 'never') return null;
  const shifted = addMonthsUtc(earnedAt, months);
  if (mode === 'rolling') return shifted;
  if (mode === 'end_of_month')
    return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 1));
  return new Date(Date.UTC(shifted.getUTCFullYear() + 1, 0, 1));
}

/** FIFO order: soonest expiry first (never-expiring last), then oldest earned, then id. */
export function compareFifo(a: LotView, b: LotView): number {
  const ax = a.expiresAt ? a.expiresAt.getTime() : Number.POSITIVE_INFINITY;
  const bx = b.expiresAt ? b.expiresAt.getTime() : Number.POSITIVE_INFINITY;
  if (ax !== bx) return ax < bx ? -1 : 1;
  const ae = a.earnedAt.getTime();
  const be = b.earnedAt.getTime();
  if (ae !== be) return ae < be ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const isExpired = (lot: LotView, now: Date): boolean =>
  lot.expiresAt !== null && lot.expiresAt.getTime() <= now.getTime();

export const isHeld = (lot: LotView, now: Date): boolean =>
  lot.availableAt.getTime() > now.getTime();

/** Splits open lots (remaining > 0) into overdue (to expire), held (pending) and spendable. */
export function classifyLots<T extends LotView>(
  lots: readonly T[],
  now: Date,
): { overdue: T[]; held: T[]; spendable: T[] } {
  const overdue: T[] = [];
  const held: T[] = [];
  const spendable: T[] = [];
  for (const lot of lots) {
    if (lot.remaining <= 0) continue;
    if (isExpired(lot, now)) overdue.push(lot);
    else if (isHeld(lot, now)) held.push(lot);
    else spendable.push(lot);
  }
  overdue.sort(compareFifo);
  held.sort(compareFifo);
  spendable.sort(compareFifo);
  return { overdue, held, spendable };
}

/**
 * Takes up to `points` from `lots` in FIFO order. Returns the allocations and what could not be
 * covered (`shortfall`); callers that must take everything treat shortfall > 0 as insufficient.
 */
export function allocateFifo(
  lots: readonly LotView[],
  points: number,
): { allocations: Allocation[]; taken: number; shortfall: number } {
  assertPoints(points, true);
  const allocations: Allocation[] = [];
  let left = points;
  for (const lot of [...lots].sort(compareFifo)) {
    if (left === 0) break;
    if (lot.remaining <= 0) continue;
    const take = Math.min(lot.remaining, left);
    allocations.push({ lotId: lot.id, points: take });
    left -= take;
  }
  return { allocations, taken: points - left, shortfall: left };
}

/** An earn of `points` first repays `debt`; the lot keeps the rest. */
export function repayDebt(
  points: number,
  debt: number,
): { repaid: number; lotRemaining: number; debtAfter: number } {
  assertPoints(points);
  const repaid = Math.min(points, Math.max(0, debt));
  return { repaid, lotRemaining: points - repaid, debtAfter: debt - repaid };
}

export type ClawbackPolicy = 'debt' | 'cap';

/**
 * Plans a clawback of `points`: the earning lot first, then the member's other lots (`others`,
 * already in the order to draw them). What no lot covers becomes debt (policy `debt`) or is
 * forgiven (`cap`). The ledger entry amount is −(taken + debtAdded): debt is a negative position.
 */
export function planClawback(
  sourceLot: LotView | null,
  others: readonly LotView[],
  points: number,
  policy: ClawbackPolicy,
): { allocations: Allocation[]; taken: number; debtAdded: number; forgiven: number } {
  assertPoints(points, true);
  const allocations: Allocation[] = [];
  let left = points;
  if (sourceLot && sourceLot.remaining > 0 && left > 0) {
    const take = Math.min(sourceLot.remaining, left);
    allocations.push({ lotId: sourceLot.id, points: take });
    left -= take;
  }
  for (const lot of others) {
    if (left === 0) break;
    if (lot.remaining <= 0 || lot.id === sourceLot?.id) continue;
    const take = Math.min(lot.remaining, left);
    allocations.push({ lotId: lot.id, points: take });
    left -= take;
  }
  const taken = points - left;
  return policy === 'debt'
    ? { allocations, taken, debtAdded: left, forgiven: 0 }
    : { allocations, taken, debtAdded: 0, forgiven: left };
}

/** Points are positive safe integers (zero allowed only where stated). */
export function assertPoints(points: number, allowZero = false): void {
  if (!Number.isSafeInteger(points) || points < 0 || (!allowZero && points === 0)) {
    throw new RangeError(`points must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  }
}
