import { Inject, Injectable } from '@nestjs/common';
import type { Page } from '@app/common';
import { DatabaseClient, type Executor } from '@app/db';
import { type MemberPrincipal, decodePosition, keysetPage, pageSize } from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import { COMMUNITY_TOPICS } from '../community.events';
import { CommunitiesService } from '../communities/communities.service';
import { contentTextHash } from '../communities/posts/post-content';
import {
  ContentBlockedError,
  ModerationCasesService,
  ScreeningService,
  type ScreeningVerdict,
} from '../moderation';
import { type ReviewContentInput, screenedText, validateReviewContent } from './review-content';
import {
  type RatingSummary,
  type ReviewSort,
  decodeReviewCursor,
  reviewPage,
  summariseRatings,
} from './review-stats';
import {
  OwnReviewVoteError,
  ReviewCommunityArchivedError,
  ReviewExistsError,
  ReviewLineRefundedError,
  ReviewMemberBannedError,
  ReviewMemberMutedError,
  ReviewNotACommunityMemberError,
  ReviewNotAuthorError,
  ReviewNotEditableError,
  ReviewNotFoundError,
  ReviewNotPurchasedError,
} from './reviews.errors';
import {
  type Review,
  type ReviewChanges,
  type ReviewWithAuthor,
  ReviewsRepository,
} from './reviews.repository';

export interface CreateReviewInput extends ReviewContentInput {
  /** The storefront's order id (as on the receipt and in `POST /v1/orders`). */
  orderId: string;
  lineNo: number;
  /** Also share the review as a post into this community (the member must belong to it). */
  communityId?: string | null;
}

export type UpdateReviewInput = Partial<ReviewContentInput>;

/** A review as an API caller sees it. */
export interface ReviewView extends Review {
  /** The storefront's order id. */
  externalOrderId: string;
  authorName: string;
  /** Whether the viewing member marked it helpful (false for storefronts). */
  helpfulByMe: boolean;
}

export interface ProductReviewsPage extends Page<ReviewView> {
  summary: RatingSummary;
}

/** Whoever reads a product's reviews: a storefront (API key) or a member of the brand. */
export interface ProductReviewsReader {
  brandId: string;
  memberId: string | null;
}

const realtime = { realtime: 'key' } as const;
const communityKey = (id: string) => `community:${id}`;
const memberKey = (id: string) => `member:${id}`;
/** Statuses the author may still edit (hidden / removed are in the moderators' hands). */
const EDITABLE = new Set(['published', 'held']);

function displayName(first: string | null, last: string | null): string {
  const name = first?.trim();
  const initial = last?.trim().charAt(0);
  return name ? (initial ? `${name} ${initial.toUpperCase()}.` : name) : 'Member';
}

/**
 * Shared reviews (晒单): verified purchase (the member's own order line, not fully refunded),
 * once per line, screened like every UGC; optionally shared as a post into a community in the
 * same transaction; product listings with rating summary; helpful votes. Approval publishes
 * `review.approved`, on which the UGC reward fires (UgcRewardsService, worker).
 */
@Injectable()
export class ReviewsService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(ReviewsRepository) private readonly reviews: ReviewsRepository,
    @Inject(CommunitiesService) private readonly communities: CommunitiesService,
    @Inject(ScreeningService) private readonly screening: ScreeningService,
    @Inject(ModerationCasesService) private readonly cases: ModerationCasesService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  async create(member: MemberPrincipal, input: CreateReviewInput): Promise<ReviewView> {
    const brandId = member.brandId;
    const content = validateReviewContent(input);
    const communityId = input.communityId ?? null;
    if (communityId) await this.assertCanShare(member, communityId);
    const verdict = await this.screen(brandId, screenedText(content));
    const status = verdict.action === 'hold' ? 'held' : 'published';
    const hash = contentTextHash(content.body);
    const review = await this.db.transaction(async (tx) => {
      const line = await this.reviews.findOrderLine(brandId, input.orderId, input.lineNo, tx);
      if (!line || line.memberId !== member.id) throw new ReviewNotPurchasedError();
      if (line.refundedQuantity >= line.quantity) throw new ReviewLineRefundedError();
      const created = await this.reviews.insert(
        brandId,
        {
          memberId: member.id,
          orderId: line.orderId,
          lineNo: input.lineNo,
          productId: line.productId,
          ...content,
          status,
          textHash: hash,
          communityId,
          approved: status === 'published',
        },
        tx,
      );
      if (!created) throw new ReviewExistsError();
      if (verdict.action === 'hold' || verdict.action === 'flag')
        await this.cases.open(
          brandId,
          {
            targetType: 'review',
            targetId: created.id,
            communityId,
            memberId: member.id,
            reason: verdict.action === 'hold' ? 'held' : 'flagged',
            ruleIds: verdict.ruleIds,
          },
          tx,
        );
      if (communityId) await this.share(brandId, created, communityId, tx);
      await this.outbox.publish(tx, brandId, {
        topic: COMMUNITY_TOPICS.reviewCreated,
        key: memberKey(member.id),
        payload: {
          reviewId: created.id,
          memberId: member.id,
          productId: created.productId,
          orderId: created.orderId,
          lineNo: created.lineNo,
          rating: created.rating,
          status,
        },
      });
      // Held reviews are approved later by a moderator, who publishes the approval then.
      if (status === 'published')
        await this.outbox.publish(tx, brandId, {
          topic: COMMUNITY_TOPICS.reviewApproved,
          key: memberKey(member.id),
          payload: {
            reviewId: created.id,
            memberId: member.id,
            productId: created.productId,
            rating: created.rating,
          },
        });
      return created;
    });
    return this.view(brandId, review.id, member.id);
  }

  /** The author edits; screened again. A hold sends it (and its shared post) back to review. */
  async update(member: MemberPrincipal, id: string, input: UpdateReviewInput): Promise<ReviewView> {
    const brandId = member.brandId;
    const existing = await this.ownEditable(member, id);
    const content = validateReviewContent({
      rating: input.rating ?? existing.rating,
      title: input.title ?? existing.title,
      body: input.body ?? existing.body,
      photoUrls: input.photoUrls ?? existing.photoUrls,
    });
    const verdict = await this.screen(brandId, screenedText(content));
    const updated = await this.db.transaction(async (tx) => {
      const current = await this.reviews.findById(brandId, id, tx, 'update');
      if (!current || current.status === 'deleted') throw new ReviewNotFoundError();
      if (!EDITABLE.has(current.status)) throw new ReviewNotEditableError(current.status);
      const changes: ReviewChanges = { ...content, textHash: contentTextHash(content.body) };
      changes.editedAt = new Date();
      if (verdict.action === 'hold') changes.status = 'held';
      const saved = await this.reviews.update(brandId, id, changes, tx);
      if (verdict.action === 'hold' || verdict.action === 'flag')
        await this.cases.open(
          brandId,
          {
            targetType: 'review',
            targetId: id,
            communityId: saved.communityId,
            memberId: member.id,
            reason: verdict.action === 'hold' ? 'held' : 'flagged',
            ruleIds: verdict.ruleIds,
          },
          tx,
        );
      const post = await this.reviews.findSharedPost(brandId, id, tx);
      if (post && post.status !== 'deleted') {
        await this.reviews.updateSharedPost(
          brandId,
          post.id,
          {
            body: saved.body,
            imageUrls: saved.photoUrls,
            textHash: saved.textHash,
            editedAt: changes.editedAt,
            ...(verdict.action === 'hold' ? { status: 'held' as const } : {}),
          },
          tx,
        );
        // Open feeds refresh the post, or drop it when the edit sent it back to review.
        if (post.status === 'published')
          await this.outbox.publish(tx, brandId, {
            topic: COMMUNITY_TOPICS.postUpdated,
            key: communityKey(post.communityId),
            headers: { ...realtime },
            payload: { postId: post.id, communityId: post.communityId, authorId: member.id },
          });
      }
      return saved;
    });
    return this.view(brandId, updated.id, member.id);
  }

  /**
   * The author deletes: status `deleted` (kept, so the line stays reviewed and cannot earn a
   * second reward); the shared post goes with it. Rewards already earned are kept (only a
   * removal for a violation reverses them).
   */
  async delete(member: MemberPrincipal, id: string): Promise<void> {
    const brandId = member.brandId;
    await this.db.transaction(async (tx) => {
      const review = await this.reviews.findById(brandId, id, tx, 'update');
      if (!review || review.status === 'deleted') throw new ReviewNotFoundError();
      if (review.memberId !== member.id) throw new ReviewNotAuthorError();
      await this.reviews.update(brandId, id, { status: 'deleted' }, tx);
      const post = await this.reviews.findSharedPost(brandId, id, tx);
      if (post && post.status !== 'deleted') {
        await this.reviews.updateSharedPost(brandId, post.id, { status: 'deleted' }, tx);
        await this.communities.addPosts(brandId, post.communityId, -1, tx);
        await this.outbox.publish(tx, brandId, {
          topic: COMMUNITY_TOPICS.postDeleted,
          key: communityKey(post.communityId),
          headers: post.status === 'published' ? { ...realtime } : {},
          payload: { postId: post.id, communityId: post.communityId, authorId: member.id },
        });
      }
    });
  }

  /** One review: published ones to any member of the brand, others to their author only. */
  async get(member: MemberPrincipal, id: string): Promise<ReviewView> {
    const review = await this.reviews.findById(member.brandId, id);
    if (
      !review ||
      review.status === 'deleted' ||
      (review.status !== 'published' && review.memberId !== member.id)
    )
      throw new ReviewNotFoundError();
    return this.view(member.brandId, review.id, member.id);
  }

  /** The member's own reviews (any status but deleted), newest first. */
  async listMine(
    member: MemberPrincipal,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<ReviewView>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    const page = keysetPage(
      await this.reviews.listByMember(member.brandId, member.id, { limit, after }),
      limit,
    );
    return {
      items: await this.views(member.brandId, page.items, member.id),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * A product's published reviews (newest or most helpful first, keyset-paginated) with the
   * average rating and the 1–5 distribution over all its published reviews.
   */
  async listForProduct(
    reader: ProductReviewsReader,
    productId: string,
    query: { sort?: ReviewSort; limit?: number; cursor?: string },
  ): Promise<ProductReviewsPage> {
    const sort = query.sort ?? 'newest';
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeReviewCursor(query.cursor, sort) : undefined;
    const [rows, counts] = await Promise.all([
      this.reviews.listForProduct(reader.brandId, productId, { sort, limit, after }),
      this.reviews.ratingCounts(reader.brandId, productId),
    ]);
    const page = reviewPage(rows, limit, sort);
    return {
      items: await this.views(reader.brandId, page.items, reader.memberId),
      nextCursor: page.nextCursor,
      summary: summariseRatings(counts),
    };
  }

  /** Marks a published review helpful; idempotent; not on one's own review. */
  async voteHelpful(
    member: MemberPrincipal,
    id: string,
  ): Promise<{ reviewId: string; helpfulCount: number; helpfulByMe: boolean }> {
    return this.db.transaction(async (tx) => {
      // Voters of one review queue here (a share lock would deadlock on the counter UPDATE);
      // NO KEY UPDATE still lets the vote row's foreign-key check through.
      const review = await this.reviews.findById(member.brandId, id, tx, 'no key update');
      if (!review || review.status !== 'published') throw new ReviewNotFoundError();
      if (review.memberId === member.id) throw new OwnReviewVoteError();
      const added = await this.reviews.insertVote(member.brandId, id, member.id, tx);
      const helpfulCount = added
        ? await this.reviews.addHelpful(member.brandId, id, 1, tx)
        : review.helpfulCount;
      return { reviewId: id, helpfulCount, helpfulByMe: true };
    });
  }

  /** Withdraws a helpful vote; idempotent. */
  async unvoteHelpful(
    member: MemberPrincipal,
    id: string,
  ): Promise<{ reviewId: string; helpfulCount: number; helpfulByMe: boolean }> {
    return this.db.transaction(async (tx) => {
      const review = await this.reviews.findById(member.brandId, id, tx, 'no key update');
      if (!review || review.status === 'deleted') throw new ReviewNotFoundError();
      const removed = await this.reviews.deleteVote(member.brandId, id, member.id, tx);
      const helpfulCount = removed
        ? await this.reviews.addHelpful(member.brandId, id, -1, tx)
        : review.helpfulCount;
      return { reviewId: id, helpfulCount, helpfulByMe: false };
    });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async screen(brandId: string, text: string): Promise<ScreeningVerdict> {
    const verdict = await this.screening.screen(brandId, text);
    if (verdict.action === 'block') throw new ContentBlockedError();
    return verdict;
  }

  /** Sharing is posting: a member of the community, neither banned nor muted, not archived. */
  private async assertCanShare(member: MemberPrincipal, communityId: string): Promise<void> {
    const { community, standing } = await this.communities.context(member, communityId);
    if (standing.bannedUntil) throw new ReviewMemberBannedError();
    if (!standing.role) throw new ReviewNotACommunityMemberError();
    if (standing.mutedUntil) throw new ReviewMemberMutedError(standing.mutedUntil);
    if (community.archivedAt) throw new ReviewCommunityArchivedError();
  }

  /** The post sharing the review: same status; announced to the room when published. */
  private async share(
    brandId: string,
    review: Review,
    communityId: string,
    tx: Executor,
  ): Promise<void> {
    const postId = await this.reviews.insertSharedPost(
      brandId,
      {
        communityId,
        authorId: review.memberId,
        reviewId: review.id,
        body: review.body,
        imageUrls: review.photoUrls,
        productId: review.productId,
        status: review.status,
        textHash: review.textHash,
        approved: review.status === 'published',
      },
      tx,
    );
    await this.communities.addPosts(brandId, communityId, 1, tx);
    // No post.approved: the review's approval is what earns (one reward per piece of content).
    await this.outbox.publish(tx, brandId, {
      topic: COMMUNITY_TOPICS.postCreated,
      key: communityKey(communityId),
      headers: review.status === 'published' ? { ...realtime } : {},
      payload: { postId, communityId, authorId: review.memberId, status: review.status },
    });
  }

  private async ownEditable(member: MemberPrincipal, id: string): Promise<Review> {
    const review = await this.reviews.findById(member.brandId, id);
    if (!review || review.status === 'deleted') throw new ReviewNotFoundError();
    if (review.memberId !== member.id) throw new ReviewNotAuthorError();
    if (!EDITABLE.has(review.status)) throw new ReviewNotEditableError(review.status);
    return review;
  }

  private async view(brandId: string, id: string, viewerId: string | null): Promise<ReviewView> {
    const row = await this.reviews.findWithAuthor(brandId, id);
    if (!row) throw new ReviewNotFoundError();
    const [view] = await this.views(brandId, [row], viewerId);
    return view;
  }

  private async views(
    brandId: string,
    rows: Omit<ReviewWithAuthor, 'cursorAt'>[],
    viewerId: string | null,
  ): Promise<ReviewView[]> {
    const ids = rows.map((r) => r.id);
    const [external, voted] = await Promise.all([
      this.reviews.externalOrderIds(
        brandId,
        rows.map((r) => r.orderId),
      ),
      viewerId ? this.reviews.votedBy(brandId, viewerId, ids) : new Set<string>(),
    ]);
    return rows.map(({ authorFirstName, authorLastName, ...review }) => ({
      ...review,
      externalOrderId: external.get(review.orderId) ?? '',
      authorName: displayName(authorFirstName, authorLastName),
      helpfulByMe: voted.has(review.id),
    }));
  }
}
