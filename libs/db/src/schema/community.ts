import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { brands, members } from './identity';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const brandId = () =>
  uuid('brand_id')
    .notNull()
    .references(() => brands.id, { onDelete: 'cascade' });
/** (brand_id, member column) → members, so content can only name members of its own brand. */
const memberFk = (name: string, brandCol: AnyPgColumn, memberCol: AnyPgColumn) =>
  foreignKey({
    name,
    columns: [brandCol, memberCol],
    foreignColumns: [members.brandId, members.id],
  });

export const communityVisibility = pgEnum('community_visibility', [
  'public',
  'members_only',
  'invite',
]);
export const communityRole = pgEnum('community_role', ['member', 'moderator', 'owner']);

/** A brand's community: a place members join, post in and moderate. */
export const communities = pgTable(
  'communities',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    /** URL-safe name, unique per brand. */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    visibility: communityVisibility('visibility').notNull().default('public'),
    rules: text('rules').notNull().default(''),
    /** Denormalised counters, kept in the same transaction as the rows they count. */
    memberCount: integer('member_count').notNull().default(0),
    postCount: integer('post_count').notNull().default(0),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('communities_brand_slug_key').on(t.brandId, t.slug),
  ],
);

export const communityMembers = pgTable(
  'community_members',
  {
    brandId: uuid('brand_id').notNull(),
    communityId: uuid('community_id').notNull(),
    memberId: uuid('member_id').notNull(),
    role: communityRole('role').notNull().default('member'),
    joinedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.communityId, t.memberId] }),
    index('community_members_member_idx').on(t.brandId, t.memberId),
    foreignKey({
      name: 'community_members_community_fk',
      columns: [t.brandId, t.communityId],
      foreignColumns: [communities.brandId, communities.id],
    }).onDelete('cascade'),
    memberFk('community_members_member_fk', t.brandId, t.memberId).onDelete('cascade'),
  ],
);

/** Invitations to an invite-only community (one per invited member). */
export const communityInvites = pgTable(
  'community_invites',
  {
    brandId: uuid('brand_id').notNull(),
    communityId: uuid('community_id').notNull(),
    memberId: uuid('member_id').notNull(),
    invitedByType: text('invited_by_type').notNull(),
    invitedById: text('invited_by_id').notNull(),
    createdAt: createdAt(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.communityId, t.memberId] }),
    foreignKey({
      name: 'community_invites_community_fk',
      columns: [t.brandId, t.communityId],
      foreignColumns: [communities.brandId, communities.id],
    }).onDelete('cascade'),
  ],
);

export const sanctionKind = pgEnum('community_sanction_kind', ['mute', 'ban']);

/**
 * Mutes (cannot post, comment, react or chat) and bans (cannot see or join) of a member in one
 * community until a time; a ban also removes the membership. Upserted, so one row per kind.
 */
export const communitySanctions = pgTable(
  'community_sanctions',
  {
    brandId: uuid('brand_id').notNull(),
    communityId: uuid('community_id').notNull(),
    memberId: uuid('member_id').notNull(),
    kind: sanctionKind('kind').notNull(),
    until: timestamp('until', { withTimezone: true }).notNull(),
    reason: text('reason').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.communityId, t.memberId, t.kind] }),
    foreignKey({
      name: 'community_sanctions_community_fk',
      columns: [t.brandId, t.communityId],
      foreignColumns: [communities.brandId, communities.id],
    }).onDelete('cascade'),
  ],
);

/**
 * Lifecycle of every piece of UGC (posts, comments, reviews):
 * - `published`: visible (approved: automatically when screening passed, or by a moderator);
 * - `held`: waiting in the moderation queue, visible to its author only;
 * - `hidden`: taken down by a moderator pending a decision (no reward reversal);
 * - `removed`: taken down for a violation (rewards it earned are reversed);
 * - `deleted`: deleted by its author.
 */
export const contentStatus = pgEnum('content_status', [
  'published',
  'held',
  'hidden',
  'removed',
  'deleted',
]);

export type PollDefinition = {
  question: string;
  options: { id: string; text: string }[];
  closesAt: string | null;
  /** Votes per option id, kept with the vote rows in one transaction. */
  counts: Record<string, number>;
};

export const posts = pgTable(
  'posts',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    communityId: uuid('community_id').notNull(),
    authorId: uuid('author_id').notNull(),
    body: text('body').notNull(),
    imageUrls: jsonb('image_urls').$type<string[]>().notNull().default([]),
    productIds: jsonb('product_ids').$type<string[]>().notNull().default([]),
    poll: jsonb('poll').$type<PollDefinition | null>(),
    /** Set when the post shares a review (晒单 posted into the community). */
    reviewId: uuid('review_id'),
    status: contentStatus('status').notNull().default('published'),
    /** sha256 of the normalised body: duplicate-text detection per author. */
    textHash: text('text_hash').notNull(),
    reactionCount: integer('reaction_count').notNull().default(0),
    commentCount: integer('comment_count').notNull().default(0),
    /**
     * Hot ranking, stored so the hot feed paginates on an index: log10(max(1, engagement)) +
     * epochSeconds / 45000 (newer posts need ten times the engagement per 12.5 h of age).
     */
    hotScore: doublePrecision('hot_score').notNull().default(0),
    pinnedAt: timestamp('pinned_at', { withTimezone: true }),
    /** When it was approved (auto or by a moderator): the moment the UGC reward fires. */
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('posts_feed_new_idx').on(t.brandId, t.communityId, t.createdAt, t.id),
    index('posts_feed_hot_idx').on(t.brandId, t.communityId, t.hotScore, t.id),
    index('posts_author_idx').on(t.brandId, t.authorId, t.createdAt),
    index('posts_author_text_idx').on(t.brandId, t.authorId, t.textHash),
    index('posts_brand_created_idx').on(t.brandId, t.createdAt),
    foreignKey({
      name: 'posts_community_fk',
      columns: [t.brandId, t.communityId],
      foreignColumns: [communities.brandId, communities.id],
    }).onDelete('cascade'),
    memberFk('posts_author_fk', t.brandId, t.authorId),
  ],
);

export const pollVotes = pgTable(
  'poll_votes',
  {
    brandId: uuid('brand_id').notNull(),
    postId: uuid('post_id').notNull(),
    memberId: uuid('member_id').notNull(),
    optionId: text('option_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.postId, t.memberId] }),
    foreignKey({
      name: 'poll_votes_post_fk',
      columns: [t.brandId, t.postId],
      foreignColumns: [posts.brandId, posts.id],
    }).onDelete('cascade'),
  ],
);

export const comments = pgTable(
  'comments',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    postId: uuid('post_id').notNull(),
    /** Replies are one level deep: the parent is always a top-level comment. */
    parentId: uuid('parent_id'),
    authorId: uuid('author_id').notNull(),
    body: text('body').notNull(),
    status: contentStatus('status').notNull().default('published'),
    textHash: text('text_hash').notNull(),
    reactionCount: integer('reaction_count').notNull().default(0),
    replyCount: integer('reply_count').notNull().default(0),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('comments_post_idx').on(t.brandId, t.postId, t.createdAt, t.id),
    index('comments_author_text_idx').on(t.brandId, t.authorId, t.textHash),
    index('comments_brand_created_idx').on(t.brandId, t.createdAt),
    foreignKey({
      name: 'comments_post_fk',
      columns: [t.brandId, t.postId],
      foreignColumns: [posts.brandId, posts.id],
    }).onDelete('cascade'),
    memberFk('comments_author_fk', t.brandId, t.authorId),
  ],
);

export const reactionTarget = pgEnum('reaction_target', ['post', 'comment']);
export const reactionKind = pgEnum('reaction_kind', ['like', 'love', 'haha', 'wow', 'sad', 'fire']);

/** One reaction per member per target; changing the kind replaces it. */
export const reactions = pgTable(
  'reactions',
  {
    brandId: uuid('brand_id').notNull(),
    targetType: reactionTarget('target_type').notNull(),
    targetId: uuid('target_id').notNull(),
    memberId: uuid('member_id').notNull(),
    kind: reactionKind('kind').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.targetType, t.targetId, t.memberId] })],
);

/** Shared reviews (晒单): one per purchased order line, verified against the orders table. */
export const reviews = pgTable(
  'reviews',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    memberId: uuid('member_id').notNull(),
    orderId: uuid('order_id').notNull(),
    lineNo: integer('line_no').notNull(),
    productId: text('product_id').notNull(),
    rating: smallint('rating').notNull(),
    title: text('title').notNull().default(''),
    body: text('body').notNull(),
    photoUrls: jsonb('photo_urls').$type<string[]>().notNull().default([]),
    status: contentStatus('status').notNull().default('published'),
    textHash: text('text_hash').notNull(),
    /** Community it was shared into (a post with review_id = id exists there). */
    communityId: uuid('community_id'),
    helpfulCount: integer('helpful_count').notNull().default(0),
    /** True once the review earned points or a coupon (shown as a badge, FTC-style disclosure). */
    incentivised: boolean('incentivised').notNull().default(false),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('reviews_order_line_key').on(t.brandId, t.orderId, t.lineNo),
    index('reviews_product_idx').on(t.brandId, t.productId, t.status, t.createdAt),
    index('reviews_member_idx').on(t.brandId, t.memberId, t.createdAt),
    index('reviews_brand_created_idx').on(t.brandId, t.createdAt),
    check('reviews_rating_range', sql`${t.rating} between 1 and 5`),
    memberFk('reviews_member_fk', t.brandId, t.memberId),
  ],
);

export const reviewHelpfulVotes = pgTable(
  'review_helpful_votes',
  {
    brandId: uuid('brand_id').notNull(),
    reviewId: uuid('review_id').notNull(),
    memberId: uuid('member_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.reviewId, t.memberId] }),
    foreignKey({
      name: 'review_helpful_votes_review_fk',
      columns: [t.brandId, t.reviewId],
      foreignColumns: [reviews.brandId, reviews.id],
    }).onDelete('cascade'),
  ],
);

export const moderationMatch = pgEnum('moderation_match', ['keyword', 'regex']);
export const moderationRuleAction = pgEnum('moderation_rule_action', ['block', 'hold', 'flag']);

/** Per-brand keyword / regex rules screening every post, comment, review and chat message. */
export const moderationRules = pgTable(
  'moderation_rules',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    match: moderationMatch('match').notNull(),
    pattern: text('pattern').notNull(),
    action: moderationRuleAction('action').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.id] })],
);

export const moderationTarget = pgEnum('moderation_target', [
  'post',
  'comment',
  'review',
  'chat_message',
]);
export const reportReason = pgEnum('report_reason', [
  'spam',
  'abuse',
  'harassment',
  'hate',
  'sexual',
  'misinformation',
  'off_topic',
  'other',
]);

/** A member's report of a piece of content; one per reporter per target. */
export const contentReports = pgTable(
  'content_reports',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    targetType: moderationTarget('target_type').notNull(),
    targetId: uuid('target_id').notNull(),
    reporterId: uuid('reporter_id').notNull(),
    reason: reportReason('reason').notNull(),
    note: text('note').notNull().default(''),
    caseId: uuid('case_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('content_reports_once_key').on(t.brandId, t.targetType, t.targetId, t.reporterId),
  ],
);

export const caseReason = pgEnum('moderation_case_reason', ['held', 'flagged', 'reported']);
export const caseStatus = pgEnum('moderation_case_status', ['open', 'resolved']);

/**
 * The moderation queue: at most one open case per target (held by screening, flagged by a rule,
 * or reported by members), worked oldest first.
 */
export const moderationCases = pgTable(
  'moderation_cases',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    targetType: moderationTarget('target_type').notNull(),
    targetId: uuid('target_id').notNull(),
    communityId: uuid('community_id'),
    /** The content's author. */
    memberId: uuid('member_id').notNull(),
    reason: caseReason('reason').notNull(),
    /** Rule ids that matched at screening time. */
    ruleIds: jsonb('rule_ids').$type<string[]>().notNull().default([]),
    reportCount: integer('report_count').notNull().default(0),
    status: caseStatus('status').notNull().default('open'),
    resolution: text('resolution'),
    openedAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('moderation_cases_open_key')
      .on(t.brandId, t.targetType, t.targetId)
      .where(sql`${t.status} = 'open'`),
    index('moderation_cases_queue_idx').on(t.brandId, t.status, t.openedAt, t.id),
  ],
);

export const moderationActionKind = pgEnum('moderation_action_kind', [
  'approve',
  'hide',
  'remove',
  'restore',
  'dismiss',
  'mute',
  'unmute',
  'ban',
  'unban',
  'delete_message',
]);

/** Audit trail of every moderation decision: who, what, why. Append-only. */
export const moderationActions = pgTable(
  'moderation_actions',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    action: moderationActionKind('action').notNull(),
    targetType: moderationTarget('target_type'),
    targetId: uuid('target_id'),
    communityId: uuid('community_id'),
    /** The member the decision is about (author, or the muted/banned member). */
    memberId: uuid('member_id'),
    caseId: uuid('case_id'),
    reason: text('reason').notNull(),
    until: timestamp('until', { withTimezone: true }),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('moderation_actions_target_idx').on(t.brandId, t.targetType, t.targetId),
    index('moderation_actions_created_idx').on(t.brandId, t.createdAt),
  ],
);
