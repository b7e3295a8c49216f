import type { OutboxMessageInput } from '@app/outbox';

/** Outbox topics published by order ingestion, refunds and earning rules. */
export const ORDER_TOPICS = {
  /** payload: { orderId, externalId, memberId, paidTotalMinor, currency, placedAt, pointsAwarded } */
  paid: 'order.paid',
  /** payload: { orderId, externalId, refundId, memberId, amountMinor, pointsReversed, debtAdded, status } */
  refunded: 'order.refunded',
  /** payload: { memberId, points, reason, source, sourceId, ruleId, entryId, balance } — member realtime + webhook */
  pointsEarned: 'points.earned',
} as const;

/** Topics this part consumes (published by identity and, later, the community context). */
export const BEHAVIOUR_TOPICS = {
  memberRegistered: 'member.registered',
  profileCompleted: 'member.profile_completed',
  reviewApproved: 'review.approved',
  postApproved: 'post.approved',
} as const;

export type PointsEarnedPayload = {
  memberId: string;
  points: number;
  reason: string;
  source: 'order' | 'rule';
  sourceId: string | null;
  ruleId: string | null;
  entryId: string;
  balance: number;
};

/** `points.earned` for the member's socket room (and the brand's webhooks). */
export function pointsEarnedMessage(payload: PointsEarnedPayload): OutboxMessageInput {
  return {
    topic: ORDER_TOPICS.pointsEarned,
    key: `member:${payload.memberId}`,
    headers: { realtime: 'key' },
    payload,
  };
}
