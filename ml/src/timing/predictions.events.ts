/** Outbox topics published by next-purchase timing. */
export const PREDICTIONS_TOPICS = {
  /** A member's P(buy within 7 days) rose to PURCHASE_WINDOW_P7; once per window, key member:<id>. */
  windowEntered: 'member.purchase_window_entered',
} as const;

/** Jobs of the ml-predictions queue. */
export const PREDICTIONS_JOBS = {
  /** Nightly: enqueue a refit for every brand. */
  refitAll: 'refit-all',
  /** Refit one brand's timing model and rescore its members ({ brandId, now? }). */
  refitBrand: 'refit-brand',
} as const;

/** The outbox consumer that refreshes a member's prediction after each paid order. */
export const PREDICTIONS_REFRESH_CONSUMER = 'ml.predictions-refresh';

/**
 * A member enters their purchase window when P(buy within 7 days) ≥ 0.5 — more likely than not
 * to buy this week — and leaves it when the probability falls below (typically after buying).
 */
export const PURCHASE_WINDOW_P7 = 0.5;

/**
 * Segment thresholds: likely-7d is p7 ≥ 0.5, likely-28d is p28 ≥ 0.5, at-risk is P(alive) < 0.5
 * with a positive value at stake, ordered by that value (12-month CLV were the member still active).
 */
export const SEGMENT_THRESHOLDS = { 'likely-7d': 0.5, 'likely-28d': 0.5, 'at-risk': 0.5 } as const;

export interface PurchaseWindowEnteredPayload {
  memberId: string;
  p7: number;
  p14: number;
  p28: number;
  nextPurchaseAt: string | null;
  modelVersionId: string;
  algorithm: string;
  /** The occurrence key of the window for consumers (offers: one offer per window). */
  windowEnteredAt: string;
}
