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
type Transitions = Partial<
  Record<ContentAction, { from: readonly ContentStatus[]; to: ContentStatus | null }>
>;

const TRANSITIONS: Transitions = {
  approve: { from: ['held', 'hidden'], to: 'published' },
  hide: { from: ['published', 'held'], to: 'hidden' },
  remove: { from: ['published', 'held', 'hidden'], to: 'removed' },
  restore: { from: ['hidden', 'removed'], to: 'published' },
  dismiss: { from: ['published', 'removed', 'deleted'], to: null },
};

/** The status after `action`, `null` when it leaves the status alone, or `undefined` if not allowed. */
export const nextStatus = (action: ContentAction, from: ContentStatus) =>
  transition(TRANSITIONS, action, from);

function transition(
  table: Transitions,
  action: ContentAction,
  from: ContentStatus,
): ContentStatus | null | undefined {
  const rule = table[action];
  if (!rule?.from.includes(from)) return undefined;
  return rule.to;
}

/**
 * Drop chat messages in the queue (ADR 0015): live chat is not replayed late, so a held message
 * is never published afterwards. `dismiss` closes the case and leaves the message as it is
 * (held, published or removed); `remove` takes a held message down for good. A published message
 * is deleted from the drop's control room, which also takes it off viewers' screens. Anything
 * else is not allowed.
 */
const CHAT_TRANSITIONS: Transitions = {
  dismiss: { from: ['held', 'published', 'removed'], to: null },
  remove: { from: ['held'], to: 'removed' },
};

/** `nextStatus` for a drop chat message. */
export const nextChatStatus = (action: ContentAction, from: ContentStatus) =>
  transition(CHAT_TRANSITIONS, action, from);
