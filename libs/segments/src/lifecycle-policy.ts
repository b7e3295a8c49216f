import { ValidationError } from '@app/common';

export const LIFECYCLE_STAGES = ['new', 'active', 'at_risk', 'dormant', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const VALUE_TIERS = ['top', 'high', 'mid', 'low', 'none'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

export const PERSONAS = ['discount_driven', 'full_price', 'mixed', 'unknown'] as const;
export type Persona = (typeof PERSONAS)[number];

/**
 * How days since the last order map to a lifecycle stage. A member's reference gap is their own
 * typical gap between orders ((last − first) / (orders − 1)), or `defaultGapDays` with one order,
 * clamped to [minGapDays, maxGapDays]; the stage is the first band the days since the last order
 * fall in: ≤ activeFactor × gap → active, ≤ atRiskFactor × gap → at_risk, ≤ dormantFactor × gap →
 * dormant, beyond → churned. A first-time buyer within `newDays` of the order is `new`; a member who
 * never ordered is `new` for `newDays` after joining, then `dormant` (audiences exclude them with
 * `minOrders: 1`).
 */
export interface LifecyclePolicy {
  newDays: number;
  defaultGapDays: number;
  minGapDays: number;
  maxGapDays: number;
  activeFactor: number;
  atRiskFactor: number;
  dormantFactor: number;
  /** Share of orders with a redeemed coupon at or above which a buyer is `discount_driven`. */
  discountDrivenShare: number;
  /** Share at or below which a buyer is `full_price` (between the two: `mixed`). */
  fullPriceShare: number;
}

/** Documented defaults (ADR 0018): one order 100 days ago → dormant; 200 days → churned. */
export const DEFAULT_LIFECYCLE_POLICY: Readonly<LifecyclePolicy> = {
  newDays: 30,
  defaultGapDays: 30,
  minGapDays: 7,
  maxGapDays: 120,
  activeFactor: 1.5,
  atRiskFactor: 3,
  dormantFactor: 6,
  discountDrivenShare: 0.5,
  fullPriceShare: 0.1,
};

/**
 * Value tiers by the member's share of the brand's net revenue ranking (cumulative distribution
 * over buyers): top 5 % → `top`, next 20 % → `high`, next 50 % → `mid`, bottom 25 % → `low`;
 * members without orders → `none`.
 */
export const VALUE_TIER_CUTS = { top: 0.95, high: 0.75, mid: 0.25 } as const;

/** Defaults, overridden by the brand's `settings.segments.lifecycle`, then by explicit options. */
export function resolvePolicy(...layers: Array<unknown>): LifecyclePolicy {
  const policy: LifecyclePolicy = { ...DEFAULT_LIFECYCLE_POLICY };
  const fields: Record<string, string[]> = {};
  for (const layer of layers) {
    if (layer === undefined || layer === null) continue;
    if (typeof layer !== 'object') {
      fields.lifecycle = ['must be an object'];
      continue;
    }
    for (const [key, value] of Object.entries(layer as Record<string, unknown>)) {
      if (!(key in DEFAULT_LIFECYCLE_POLICY)) {
        (fields[key] ??= []).push('is not a lifecycle setting');
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        (fields[key] ??= []).push('must be a non-negative number');
        continue;
      }
      policy[key as keyof LifecyclePolicy] = value;
    }
  }
  if (policy.minGapDays > policy.maxGapDays) fields.minGapDays = ['must be ≤ maxGapDays'];
  if (!(policy.activeFactor <= policy.atRiskFactor && policy.atRiskFactor <= policy.dormantFactor))
    fields.activeFactor = ['factors must satisfy activeFactor ≤ atRiskFactor ≤ dormantFactor'];
  if (policy.fullPriceShare > policy.discountDrivenShare)
    fields.fullPriceShare = ['must be ≤ discountDrivenShare'];
  if (Object.keys(fields).length) throw new ValidationError('Invalid lifecycle policy', { fields });
  return policy;
}

/**
 * The stage of one member under a policy — the reference the SQL of the recompute implements
 * (the unit tests pin both to the same table of cases).
 */
export function lifecycleStage(
  policy: LifecyclePolicy,
  input: {
    orders: number;
    daysSinceLast: number | null;
    daysSinceJoined: number;
    typicalGapDays: number | null;
  },
): LifecycleStage {
  if (input.orders === 0 || input.daysSinceLast === null)
    return input.daysSinceJoined <= policy.newDays ? 'new' : 'dormant';
  if (input.orders === 1 && input.daysSinceLast <= policy.newDays) return 'new';
  const gap = Math.min(
    Math.max(input.typicalGapDays ?? policy.defaultGapDays, policy.minGapDays),
    policy.maxGapDays,
  );
  if (input.daysSinceLast <= policy.activeFactor * gap) return 'active';
  if (input.daysSinceLast <= policy.atRiskFactor * gap) return 'at_risk';
  if (input.daysSinceLast <= policy.dormantFactor * gap) return 'dormant';
  return 'churned';
}
