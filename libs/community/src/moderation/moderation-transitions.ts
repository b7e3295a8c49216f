import type { ContentStatus } from './moderation.repository';

export const CONTENT_ACTIONS = ['approve', 'hide', 'remove', 'restore', 'dismiss'] as const;
export type ContentAction = (typeof CONTENT_ACTIONS)[number];

/**
 * Which statuses each content action applies to, and the status it leads to (null: the content is
 * left as it is). Anything else is a conflict: approve a removed post, restore a published one,
 * touch content its author deleted.
 * - approve: held (first approval: the reward fires) or hidden (taken down, found fine) → published;
 * - hide: pending a decision, no reward reversal;
 * - remove: a violation, the reward is reversed;
 * - restore: undo a hide or remove, without a new reward (ADR 0013);
 * - dismiss: close the case, leave the content (not for held or hidden content, which would then
 *   wait for a decision outside the queue; also clears cases of content its author deleted).
 */
const TRANSITIONS: Record<
  ContentAction,
  { from: readonly ContentStatus[]; to: ContentStatus | null }
> = {
  approve: { from: ['held', 'hidden'], to: 'published' },
  hide: { from: ['published', 'held'], to: 'hidden' },
  remove: { from: ['published', 'held', 'hidden'], to: 'removed' },
  restore: { from: ['hidden', 'removed'], to: 'published' },
  dismiss: { from: ['published', 'removed', 'deleted'], to: null },
};

/** The status after `action`, `null` when it leaves the status alone, or `undefined` if not allowed. */
export function nextStatus(
  action: ContentAction,
  from: ContentStatus,
): ContentStatus | null | undefined {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(from)) return undefined;
  return rule.to;
}
