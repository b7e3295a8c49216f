import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, inArray, ne, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  members,
  orderLines,
  orders,
  posts,
  reviewHelpfulVotes,
  reviews,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';
import { HOT_DECAY_SECONDS } from '../communities/posts/hot-score';
import type { ReviewPosition, ReviewSort } from './review-stats';

export type Review = typeof reviews.$inferSelect;
type ContentStatus = Review['status'];
export type NewReview = Pick<
  typeof reviews.$inferInsert,
  | 'memberId'
  | 'orderId'
  | 'lineNo'
  | 'productId'
  | 'rating'
  | 'title'
  | 'body'
  | 'photoUrls'
  | 'status'
  | 'textHash'
  | 'communityId'
> & { approved: boolean };
export type ReviewChanges = Partial<
  Pick<Review, 'rating' | 'title' | 'body' | 'photoUrls' | 'status' | 'textHash' | 'editedAt'>
>;
/** A review with its author's display parts (first name, last initial source). */
export type ReviewWithAuthor = Review & {
  authorFirstName: string | null;
  authorLastName: string | null;
  cursorAt: string;
};

/** The order line a review names, with what the verified-purchase check needs. */
export interface PurchasedLine {
  orderId: string;
  memberId: string;
  productId: string;
  quantity: number;
  refundedQuantity: number;
}

export interface SharedPostValues {
  communityId: string;
  authorId: string;
  reviewId: string;
  body: string;
  imageUrls: string[];
  productId: string;
  status: ContentStatus;
  textHash: string;
  approved: boolean;
}

const authorColumns = {
  authorFirstName: members.firstName,
  authorLastName: members.lastName,
};

@Injectable()
export class ReviewsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  /** A line of an order of the brand by the storefront's order id; null when there is none. */
  async findOrderLine(
    brandId: string,
    externalOrderId: string,
    lineNo: number,
    tx?: Executor,
  ): Promise<PurchasedLine | null> {
    const [row] = await this.ex(tx)
      .select({
        orderId: orders.id,
        memberId: orders.memberId,
        productId: orderLines.productId,
        quantity: orderLines.quantity,
        refundedQuantity: orderLines.refundedQuantity,
      })
      .from(orders)
      .innerJoin(
        orderLines,
        and(eq(orderLines.brandId, orders.brandId), eq(orderLines.orderId, orders.id)),
      )
      .where(
        and(
          eq(orders.brandId, brandId),
          eq(orders.externalId, externalOrderId),
          eq(orderLines.lineNo, lineNo),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  /** The storefront's id of an order (responses speak the storefront's ids). */
  async externalOrderIds(
    brandId: string,
    orderIds: string[],
    tx?: Executor,
  ): Promise<Map<string, string>> {
    if (!orderIds.length) return new Map();
    const rows = await this.ex(tx)
      .select({ id: orders.id, externalId: orders.externalId })
      .from(orders)
      .where(and(eq(orders.brandId, brandId), inArray(orders.id, [...new Set(orderIds)])));
    return new Map(rows.map((r) => [r.id, r.externalId]));
  }

  /**
   * Inserts a review; null when the line already has one (unique (brand, order, line)), which
   * is how concurrent first reviews of one line resolve to exactly one winner.
   */
  async insert(brandId: string, values: NewReview, tx: Executor): Promise<Review | null> {
    const { approved, ...row } = values;
    const [inserted] = await tx
      .insert(reviews)
      .values({ ...row, brandId, approvedAt: approved ? sql`now()` : null })
      .onConflictDoNothing({ target: [reviews.brandId, reviews.orderId, reviews.lineNo] })
      .returning();
    return inserted ?? null;
  }

  async findById(
    brandId: string,
    id: string,
    tx?: Executor,
    lock?: 'update' | 'no key update' | 'share',
  ): Promise<Review | null> {
    const query = this.ex(tx)
      .select()
      .from(reviews)
      .where(and(eq(reviews.brandId, brandId), eq(reviews.id, id)))
      .limit(1);
    const [row] = lock ? await query.for(lock) : await query;
    return row ?? null;
  }

  /** A review with its author's name parts. */
  async findWithAuthor(
    brandId: string,
    id: string,
    tx?: Executor,
  ): Promise<Omit<ReviewWithAuthor, 'cursorAt'> | null> {
    const [row] = await this.ex(tx)
      .select({ ...getTableColumns(reviews), ...authorColumns })
      .from(reviews)
      .innerJoin(
        members,
        and(eq(members.brandId, reviews.brandId), eq(members.id, reviews.memberId)),
      )
      .where(and(eq(reviews.brandId, brandId), eq(reviews.id, id)))
      .limit(1);
    return row ?? null;
  }

  async update(brandId: string, id: string, changes: ReviewChanges, tx: Executor): Promise<Review> {
    const [row] = await tx
      .update(reviews)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(reviews.brandId, brandId), eq(reviews.id, id)))
      .returning();
    return row;
  }

  async markIncentivised(brandId: string, id: string, tx: Executor): Promise<void> {
    await tx
      .update(reviews)
      .set({ incentivised: true })
      .where(and(eq(reviews.brandId, brandId), eq(reviews.id, id)));
  }

  /** A member's reviews, newest first, leaving out the ones they deleted. */
  async listByMember(
    brandId: string,
    memberId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<ReviewWithAuthor[]> {
    return this.ex(tx)
      .select({
        ...getTableColumns(reviews),
        ...authorColumns,
        cursorAt: cursorAt(reviews.createdAt),
      })
      .from(reviews)
      .innerJoin(
        members,
        and(eq(members.brandId, reviews.brandId), eq(members.id, reviews.memberId)),
      )
      .where(
        and(
          eq(reviews.brandId, brandId),
          eq(reviews.memberId, memberId),
          ne(reviews.status, 'deleted'),
          page.after ? olderThan(reviews.createdAt, reviews.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(reviews.createdAt), desc(reviews.id))
      .limit(page.limit + 1);
  }

  /** A product's published reviews: newest first, or most helpful first (ties newest first). */
  async listForProduct(
    brandId: string,
    productId: string,
    page: { sort: ReviewSort; limit: number; after?: ReviewPosition },
    tx?: Executor,
  ): Promise<ReviewWithAuthor[]> {
    const after = page.after;
    const keyset = !after
      ? undefined
      : page.sort === 'helpful'
        ? sql`(${reviews.helpfulCount}, ${reviews.createdAt}, ${reviews.id}) < (${after.helpful ?? 0}::int, ${after.at}::timestamptz, ${after.id}::uuid)`
        : olderThan(reviews.createdAt, reviews.id, after);
    const order =
      page.sort === 'helpful'
        ? [desc(reviews.helpfulCount), desc(reviews.createdAt), desc(reviews.id)]
        : [desc(reviews.createdAt), desc(reviews.id)];
    return this.ex(tx)
      .select({
        ...getTableColumns(reviews),
        ...authorColumns,
        cursorAt: cursorAt(reviews.createdAt),
      })
      .from(reviews)
      .innerJoin(
        members,
        and(eq(members.brandId, reviews.brandId), eq(members.id, reviews.memberId)),
      )
      .where(
        and(
          eq(reviews.brandId, brandId),
          eq(reviews.productId, productId),
          eq(reviews.status, 'published'),
          keyset,
        ),
      )
      .orderBy(...order)
      .limit(page.limit + 1);
  }

  /** Published reviews of a product per star. */
  async ratingCounts(
    brandId: string,
    productId: string,
    tx?: Executor,
  ): Promise<{ rating: number; count: number }[]> {
    return this.ex(tx)
      .select({ rating: reviews.rating, count: sql<number>`count(*)::int` })
      .from(reviews)
      .where(
        and(
          eq(reviews.brandId, brandId),
          eq(reviews.productId, productId),
          eq(reviews.status, 'published'),
        ),
      )
      .groupBy(reviews.rating);
  }

  // ---- helpful votes -----------------------------------------------------------------------

  /** true when the vote is new (one per member per review). */
  async insertVote(
    brandId: string,
    reviewId: string,
    memberId: string,
    tx: Executor,
  ): Promise<boolean> {
    const rows = await tx
      .insert(reviewHelpfulVotes)
      .values({ brandId, reviewId, memberId })
      .onConflictDoNothing()
      .returning({ reviewId: reviewHelpfulVotes.reviewId });
    return rows.length > 0;
  }

  /** true when a vote was there to remove. */
  async deleteVote(
    brandId: string,
    reviewId: string,
    memberId: string,
    tx: Executor,
  ): Promise<boolean> {
    const rows = await tx
      .delete(reviewHelpfulVotes)
      .where(
        and(
          eq(reviewHelpfulVotes.brandId, brandId),
          eq(reviewHelpfulVotes.reviewId, reviewId),
          eq(reviewHelpfulVotes.memberId, memberId),
        ),
      )
      .returning({ reviewId: reviewHelpfulVotes.reviewId });
    return rows.length > 0;
  }

  /** Moves the helpful counter in the vote's transaction; returns the new count. */
  async addHelpful(brandId: string, id: string, delta: number, tx: Executor): Promise<number> {
    const [row] = await tx
      .update(reviews)
      .set({ helpfulCount: sql`greatest(0, ${reviews.helpfulCount} + ${delta})` })
      .where(and(eq(reviews.brandId, brandId), eq(reviews.id, id)))
      .returning({ helpfulCount: reviews.helpfulCount });
    return row?.helpfulCount ?? 0;
  }

  /** Which of these reviews the member found helpful. */
  async votedBy(
    brandId: string,
    memberId: string,
    reviewIds: string[],
    tx?: Executor,
  ): Promise<Set<string>> {
    if (!reviewIds.length) return new Set();
    const rows = await this.ex(tx)
      .select({ reviewId: reviewHelpfulVotes.reviewId })
      .from(reviewHelpfulVotes)
      .where(
        and(
          eq(reviewHelpfulVotes.brandId, brandId),
          eq(reviewHelpfulVotes.memberId, memberId),
          inArray(reviewHelpfulVotes.reviewId, reviewIds),
        ),
      );
    return new Set(rows.map((r) => r.reviewId));
  }

  // ---- the post that shares a review into a community ----------------------------------------

  /** Same columns as a member's post, plus review_id; the hot score starts at its age term. */
  async insertSharedPost(brandId: string, values: SharedPostValues, tx: Executor): Promise<string> {
    const [row] = await tx
      .insert(posts)
      .values({
        brandId,
        communityId: values.communityId,
        authorId: values.authorId,
        reviewId: values.reviewId,
        body: values.body,
        imageUrls: values.imageUrls,
        productIds: [values.productId],
        status: values.status,
        textHash: values.textHash,
        hotScore: sql`extract(epoch from now())::float8 / ${HOT_DECAY_SECONDS}`,
        approvedAt: values.approved ? sql`now()` : null,
      })
      .returning({ id: posts.id });
    return row.id;
  }

  /** The post sharing a review (at most one), locked with the review it follows. */
  async findSharedPost(
    brandId: string,
    reviewId: string,
    tx: Executor,
  ): Promise<{ id: string; communityId: string; status: ContentStatus } | null> {
    const [row] = await tx
      .select({ id: posts.id, communityId: posts.communityId, status: posts.status })
      .from(posts)
      .where(and(eq(posts.brandId, brandId), eq(posts.reviewId, reviewId)))
      .limit(1)
      .for('update');
    return row ?? null;
  }

  async updateSharedPost(
    brandId: string,
    postId: string,
    changes: Partial<{
      body: string;
      imageUrls: string[];
      status: ContentStatus;
      textHash: string;
      editedAt: Date;
    }>,
    tx: Executor,
  ): Promise<void> {
    await tx
      .update(posts)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(posts.brandId, brandId), eq(posts.id, postId)));
  }

  /**
   * What the UGC reward needs of a post, share-locked so a moderation action on it waits for
   * the award (or the award sees the action's outcome).
   */
  async postForReward(
    brandId: string,
    postId: string,
    tx: Executor,
  ): Promise<{ authorId: string; status: ContentStatus; reviewId: string | null } | null> {
    const [row] = await tx
      .select({ authorId: posts.authorId, status: posts.status, reviewId: posts.reviewId })
      .from(posts)
      .where(and(eq(posts.brandId, brandId), eq(posts.id, postId)))
      .limit(1)
      .for('share');
    return row ?? null;
  }
}
