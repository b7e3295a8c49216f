import type { CampaignTrigger, TriggerType } from './campaign-rules';

/** Topics the engine consumes, and the trigger each one is an occurrence of. */
export const TRIGGER_TOPICS = {
  'member.purchase_window_entered': 'purchase_window',
  'member.lifecycle_changed': 'lifecycle_change',
  'order.paid': 'nth_purchase',
  'points.expiring': 'points_expiring',
  'tier.upgraded': 'tier_change',
  'tier.downgraded': 'tier_change',
  'review.approved': 'review_approved',
  'community.member_joined': 'community_joined',
  'drop.raffle_lost': 'drop_missed',
} as const satisfies Record<string, TriggerType>;

/**
 * One occurrence of a trigger for one member. `key` names the occurrence from the event's own
 * facts (not the message id), so a duplicate publication of the same fact is the same occurrence:
 * with the campaign id it is the offers row's unique key.
 */
export interface TriggerOccurrence {
  type: TriggerType;
  memberId: string;
  key: string;
  context: {
    to?: string;
    from?: string;
    orderId?: string;
    /** nth_purchase: the member's ordinal of this order (filled by the engine). */
    ordinal?: number;
    direction?: 'upgraded' | 'downgraded';
    tierId?: string;
    communityId?: string;
    dropId?: string;
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The occurrence an event stands for, or null when the payload lacks what identifies it. */
export function occurrenceOf(
  topic: string,
  payload: Record<string, unknown>,
): TriggerOccurrence | null {
  const type = (TRIGGER_TOPICS as Record<string, TriggerType>)[topic];
  const memberId = str(payload.memberId);
  if (!type || !memberId) return null;
  const make = (fact: string | undefined, context: TriggerOccurrence['context'] = {}) =>
    fact ? { type, memberId, key: `${type}:${memberId}:${fact}`, context } : null;
  switch (type) {
    case 'purchase_window':
      return make(str(payload.windowEnteredAt) ?? str(payload.at));
    case 'lifecycle_change':
      return make(str(payload.historyId) ?? str(payload.at), {
        to: str(payload.to),
        from: str(payload.from),
      });
    case 'nth_purchase':
      return make(str(payload.orderId), { orderId: str(payload.orderId) });
    case 'points_expiring':
      return make(str(payload.earliestExpiresAt));
    case 'tier_change': {
      const to = payload.to as { id?: unknown } | undefined;
      const tierId = str(to?.id);
      return make(tierId && `${tierId}:${str(payload.at) ?? ''}`, {
        direction: topic === 'tier.upgraded' ? 'upgraded' : 'downgraded',
        tierId,
      });
    }
    case 'review_approved':
      return make(str(payload.reviewId));
    case 'community_joined':
      return make(str(payload.communityId), { communityId: str(payload.communityId) });
    case 'drop_missed':
      return make(str(payload.dropId), { dropId: str(payload.dropId) });
    default:
      return null;
  }
}

/** Whether a campaign's trigger parameters accept an occurrence of its type. */
export function triggerAccepts(trigger: CampaignTrigger, occ: TriggerOccurrence): boolean {
  if (trigger.type !== occ.type) return false;
  const c = occ.context;
  switch (trigger.type) {
    case 'lifecycle_change':
      return (
        !!c.to &&
        (trigger.to ?? []).includes(c.to) &&
        (!trigger.from || (!!c.from && trigger.from.includes(c.from)))
      );
    case 'nth_purchase':
      return (
        c.ordinal !== undefined &&
        (trigger.orMore ? c.ordinal >= (trigger.n ?? 1) : c.ordinal === trigger.n)
      );
    case 'tier_change':
      return (
        (!trigger.direction || trigger.direction === c.direction) &&
        (!trigger.tierIds || (!!c.tierId && trigger.tierIds.includes(c.tierId)))
      );
    case 'community_joined':
      return (
        !trigger.communityIds || (!!c.communityId && trigger.communityIds.includes(c.communityId))
      );
    case 'drop_missed':
      return !trigger.dropIds || (!!c.dropId && trigger.dropIds.includes(c.dropId));
    default:
      return true;
  }
}
