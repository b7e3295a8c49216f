import type { Executor } from '@app/db';

/** A temporary multiplier on a member's purchase points (e.g. a campaign's "double points week"). */
export interface PurchaseBoost {
  multiplierBp: number;
  /** What granted it, for the ledger's explanation and the cost accounting (e.g. `offer:<id>`). */
  source: string;
}

/**
 * Supplied by whichever context grants boosts (the offers engine); order ingestion asks it for the
 * boost in force for each member at the order's time and reports the extra points it awarded, in
 * the order's transaction. Optional: without a provider, purchases earn their normal points.
 */
export interface PurchaseBoosts {
  activeFor(
    brandId: string,
    purchases: { memberId: string; at: Date }[],
    tx: Executor,
  ): Promise<(PurchaseBoost | null)[]>;
  recordAwarded(
    brandId: string,
    awards: { source: string; points: number }[],
    tx: Executor,
  ): Promise<void>;
}

export const PURCHASE_BOOSTS = Symbol('PURCHASE_BOOSTS');
