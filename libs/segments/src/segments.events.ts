/** Outbox topics of segments. */
export const SEGMENT_TOPICS = {
  /**
   * payload: { memberId, from, to, at, historyId } — a recompute moved the member to another
   * lifecycle stage (not published for a member's first classification). Key `member:<id>`;
   * campaigns with a lifecycle trigger consume it (e.g. → dormant = win-back).
   */
  lifecycleChanged: 'member.lifecycle_changed',
} as const;

export interface LifecycleChangedPayload {
  memberId: string;
  from: string;
  to: string;
  at: string;
  historyId: string;
  [key: string]: unknown;
}
