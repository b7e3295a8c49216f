import type { Tier } from './tiers.repository';

/** Outbox topics published by tiers (pushed to `member:<id>` and to brand webhooks). */
export const TIER_EVENTS = {
  upgraded: 'tier.upgraded',
  downgradeWarning: 'tier.downgrade_warning',
  downgraded: 'tier.downgraded',
} as const;

/** Topics that make tiers re-evaluate a member at once. */
export const TIER_TRIGGER_TOPICS = ['order.paid', 'order.refunded', 'points.earned'] as const;

export interface TierSummary {
  id: string;
  code: string;
  name: string;
  rank: number;
  multiplierBp: number;
  perks: Record<string, unknown>;
}

export const tierSummary = (tier: Tier): TierSummary => ({
  id: tier.id,
  code: tier.code,
  name: tier.name,
  rank: tier.rank,
  multiplierBp: tier.multiplierBp,
  perks: tier.perks,
});

/** Routing of member-facing tier events: key `member:<id>`, realtime push to that key. */
export const tierMessage = (topic: string, memberId: string, payload: Record<string, unknown>) => ({
  topic,
  key: `member:${memberId}`,
  headers: { realtime: 'key' },
  payload: { memberId, ...payload },
});
