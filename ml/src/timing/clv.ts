import type { BtydModel, BtydParams, RfmSummary } from './btyd';

/** How CLV is valued: horizon, margin on spend and the yearly discount rate. */
export interface ClvOptions {
  horizonDays: number;
  /** Discounting steps over the horizon (12 → monthly). */
  steps: number;
  /** Share of spend that is profit (1 → revenue CLV). */
  margin: number;
  annualDiscountRate: number;
}

export const DEFAULT_CLV: ClvOptions = {
  horizonDays: 365,
  steps: 12,
  margin: 1,
  annualDiscountRate: 0.1,
};

/**
 * Discounted expected value: the purchases expected in each step (differences of the
 * conditional expectation), times the expected spend per purchase and the margin, discounted at
 * the end of each step.
 */
export function discountedClv(
  model: BtydModel,
  params: BtydParams,
  summary: RfmSummary,
  unitDays: number,
  spendPerPurchase: number,
  options: ClvOptions = DEFAULT_CLV,
): number {
  const stepDays = options.horizonDays / options.steps;
  let previous = 0;
  let value = 0;
  for (let k = 1; k <= options.steps; k++) {
    const days = k * stepDays;
    const expected = model.conditionalExpectedPurchases(params, summary, days / unitDays);
    const discount = Math.pow(1 + options.annualDiscountRate, days / 365);
    value += ((expected - previous) * spendPerPurchase * options.margin) / discount;
    previous = expected;
  }
  return value;
}
