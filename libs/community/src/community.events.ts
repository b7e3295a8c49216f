import { BEHAVIOUR_TOPICS } from '@app/loyalty';

/**
 * Outbox topics of the community context — the only place they are spelled. Realtime pushes use
 * the outbox realtime consumer: key `community:<id>` or `member:<id>` with header
 * `realtime: 'key'`.
 */
export const COMMUNITY_TOPICS = {
  /** payload: { communityId, memberId } */
  memberJoined: 'community.member_joined',
  /** payload: { communityId, memberId } */
  memberLeft: 'community.member_left',
  /** payload: { postId, communityId, authorId, status } — pushed to community:<id> when published */
  postCreated: 'post.created',
  /** payload: { postId, communityId, authorId } */
  postUpdated: 'post.updated',
  /** payload: { postId, communityId, authorId } (deleted by its author) */
  postDeleted: 'post.deleted',
  /** payload: { postId, communityId, memberId } — the loyalty UGC reward fires on it */
  postApproved: BEHAVIOUR_TOPICS.postApproved,
  /** payload: { postId, communityId, memberId, reason } — removed for a violation: reward reversed */
  postRemoved: 'post.removed',
  /** payload: { commentId, postId, communityId, authorId, parentId } */
  commentCreated: 'comment.created',
  /** payload: { commentId, postId, communityId } */
  commentDeleted: 'comment.deleted',
  /** payload: { targetType, targetId, communityId, memberId, kind | null, counts } */
  reactionChanged: 'reaction.changed',
  /** payload: { reviewId, memberId, productId, orderId, lineNo, rating, status } */
  reviewCreated: 'review.created',
  /** payload: { reviewId, memberId, productId, rating } — the loyalty UGC reward (points + coupon) fires on it */
  reviewApproved: BEHAVIOUR_TOPICS.reviewApproved,
  /** payload: { reviewId, memberId, productId, reason } — reward reversed */
  reviewRemoved: 'review.removed',
  /** payload: { actionId, action, targetType, targetId, communityId, memberId, reason, actor } */
  moderationDecided: 'moderation.decided',
  /** payload: { targetType, targetId, status, reason } — to member:<author>, the outcome they see */
  contentModerated: 'content.moderated',
} as const;
