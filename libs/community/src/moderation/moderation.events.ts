import type { OutboxMessageInput } from '@app/outbox';
import { COMMUNITY_TOPICS } from '../community.events';
import type { ContentStatus, ModerationActionRow, ModerationTarget } from './moderation.repository';

/** Every decision, for consumers and the brand's staff dashboards (staff:<brand> room). */
export function moderationDecidedMessage(
  brandId: string,
  row: ModerationActionRow,
  status: ContentStatus | null,
): OutboxMessageInput {
  return {
    topic: COMMUNITY_TOPICS.moderationDecided,
    key: row.memberId ? `member:${row.memberId}` : undefined,
    headers: { realtime: `staff:${brandId}` },
    payload: {
      actionId: row.id,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      communityId: row.communityId,
      memberId: row.memberId,
      caseId: row.caseId,
      status,
      until: row.until?.toISOString() ?? null,
      reason: row.reason,
      actor: { type: row.actorType, id: row.actorId },
    },
  };
}

/** The outcome the author sees on their own sockets (member:<author>), with the reason given. */
export function contentModeratedForAuthor(
  target: ModerationTarget,
  action: string,
  status: ContentStatus,
  reason: string,
): OutboxMessageInput {
  return {
    topic: COMMUNITY_TOPICS.contentModerated,
    key: `member:${target.authorId}`,
    headers: { realtime: 'key' },
    payload: {
      targetType: target.targetType,
      targetId: target.id,
      postId: target.postId,
      communityId: target.communityId,
      action,
      status,
      reason,
    },
  };
}

/**
 * Tells a community's open feeds that an item changed status (dropped when hidden/removed, back
 * when approved/restored). No reason or actor: the room is every reader of the community.
 */
export function contentModeratedForCommunity(
  communityId: string,
  item: { targetType: 'post' | 'comment'; targetId: string; postId: string | null },
  status: ContentStatus,
): OutboxMessageInput {
  return {
    topic: COMMUNITY_TOPICS.contentModerated,
    key: `community:${communityId}`,
    headers: { realtime: 'key' },
    payload: { ...item, communityId, status },
  };
}

/** First approval of held content: the UGC reward fires on it (loyalty behaviour consumer). */
export function approvedMessage(target: ModerationTarget): OutboxMessageInput | null {
  if (target.targetType === 'post')
    return {
      topic: COMMUNITY_TOPICS.postApproved,
      key: `member:${target.authorId}`,
      payload: { postId: target.id, communityId: target.communityId, memberId: target.authorId },
    };
  if (target.targetType === 'review')
    return {
      topic: COMMUNITY_TOPICS.reviewApproved,
      key: `member:${target.authorId}`,
      payload: {
        reviewId: target.id,
        memberId: target.authorId,
        productId: target.productId,
        rating: target.rating,
      },
    };
  return null;
}

/** Removed for a violation: the reward it earned is reversed (reviews consumer). */
export function removedMessage(
  target: ModerationTarget,
  reason: string,
): OutboxMessageInput | null {
  if (target.targetType === 'post')
    return {
      topic: COMMUNITY_TOPICS.postRemoved,
      key: `member:${target.authorId}`,
      payload: {
        postId: target.id,
        communityId: target.communityId,
        memberId: target.authorId,
        reason,
      },
    };
  if (target.targetType === 'review')
    return {
      topic: COMMUNITY_TOPICS.reviewRemoved,
      key: `member:${target.authorId}`,
      payload: {
        reviewId: target.id,
        memberId: target.authorId,
        productId: target.productId,
        reason,
      },
    };
  return null;
}
