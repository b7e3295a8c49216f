import type { OutboxMessageInput } from '@app/outbox';

/** Outbox topics the ledger publishes (all pushed to the member's room). */
export const LEDGER_TOPICS = {
  /** payload: { memberId, points, lots: [{ lotId, points, expiresAt }], balance } */
  expired: 'points.expired',
  /** payload: { memberId, points, earliestExpiresAt, lots: [{ lotId, remaining, expiresAt }] } */
  expiring: 'points.expiring',
  /** payload: { memberId, entryId, points (signed), reason, balance } */
  adjusted: 'points.adjusted',
} as const;

/** A message keyed `member:<id>` and pushed to that member's socket.io room. */
export function memberMessage(
  topic: string,
  memberId: string,
  payload: Record<string, unknown>,
): OutboxMessageInput {
  return { topic, key: `member:${memberId}`, headers: { realtime: 'key' }, payload };
}
