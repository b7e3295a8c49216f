import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, pollVotes, posts, products } from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';
import type { HotPosition } from './feed-cursor';
import { HOT_DECAY_SECONDS, hotScoreSql } from './hot-score';

export type Post = typeof posts.$inferSelect;
export type NewPost = Pick<
  typeof posts.$inferInsert,
  'communityId' | 'authorId' | 'body' | 'imageUrls' | 'productIds' | 'poll' | 'status' | 'textHash'
> & { approved: boolean };
export type PostChanges = Partial<
  Pick<Post, 'body' | 'imageUrls' | 'productIds' | 'status' | 'textHash' | 'editedAt' | 'pinnedAt'>
>;
export type PostWithCursor = Post & { cursorAt: string };

/** Same-text window of duplicate detection. */
export const DUPLICATE_WINDOW = sql`interval '24 hours'`;

@Injectable()
export class PostsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /**
   * The hot score of a new post is its age term alone (log10(1) = 0); `now()` is the
   * transaction time, the very value `created_at` defaults to.
   */
  async insert(brandId: string, values: NewPost, tx: Executor): Promise<Post> {
    const { approved, ...row } = values;
    const [inserted] = await tx
      .insert(posts)
      .values({
        ...row,
        brandId,
        hotScore: sql`extract(epoch from now())::float8 / ${HOT_DECAY_SECONDS}`,
        approvedAt: approved ? sql`now()` : null,
      })
      .returning();
    return inserted;
  }

  async findById(
    brandId: string,
    id: string,
    tx?: Executor,
    lock?: 'update',
  ): Promise<Post | null> {
    const query = (tx ?? this.client.db)
      .select()
      .from(posts)
      .where(and(eq(posts.brandId, brandId), eq(posts.id, id)))
      .limit(1);
    const [row] = lock ? await query.for(lock) : await query;
    return row ?? null;
  }

  async update(brandId: string, id: string, changes: PostChanges, tx: Executor): Promise<Post> {
    const [row] = await tx
      .update(posts)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(posts.brandId, brandId), eq(posts.id, id)))
      .returning();
    return row;
  }

  /**
   * Adds to the reaction/comment counters and recomputes the hot score from the new values in
   * the same statement (the row lock serialises concurrent changes, so counts stay exact).
   */
  async addToCounters(
    brandId: string,
    id: string,
    delta: { reactions?: number; comments?: number },
    tx: Executor,
  ): Promise<Post | null> {
    const reactions = sql`${posts.reactionCount} + ${delta.reactions ?? 0}`;
    const comments = sql`${posts.commentCount} + ${delta.comments ?? 0}`;
    const [row] = await tx
      .update(posts)
      .set({
        reactionCount: sql`greatest(0, ${reactions})`,
        commentCount: sql`greatest(0, ${comments})`,
        hotScore: hotScoreSql(
          sql`greatest(0, ${reactions})`,
          sql`greatest(0, ${comments})`,
          posts.createdAt,
        ),
      })
      .where(and(eq(posts.brandId, brandId), eq(posts.id, id)))
      .returning();
    return row ?? null;
  }

  /** Serialises one author's writes of one kind, so the duplicate check cannot race itself. */
  async lockAuthor(brandId: string, authorId: string, kind: string, tx: Executor): Promise<void> {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`${kind}:${brandId}:${authorId}`}, 0))`,
    );
  }

  /** A live post by this author with the same normalised text in the last 24 h. */
  async hasRecentDuplicate(
    brandId: string,
    authorId: string,
    hash: string,
    exceptId: string | null,
    tx: Executor,
  ): Promise<boolean> {
    const [row] = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(
        and(
          eq(posts.brandId, brandId),
          eq(posts.authorId, authorId),
          eq(posts.textHash, hash),
          ne(posts.status, 'deleted'),
          sql`${posts.createdAt} > now() - ${DUPLICATE_WINDOW}`,
          exceptId ? ne(posts.id, exceptId) : undefined,
        ),
      )
      .limit(1);
    return Boolean(row);
  }

  /** Which of these product ids the brand does not sell. */
  async unknownProducts(brandId: string, ids: string[], tx?: Executor): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await (tx ?? this.client.db)
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.brandId, brandId), inArray(products.id, ids)));
    const known = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !known.has(id));
  }

  // ---- feeds ---------------------------------------------------------------------------------

  private feedFilter(brandId: string, communityId: string) {
    return and(
      eq(posts.brandId, brandId),
      eq(posts.communityId, communityId),
      eq(posts.status, 'published'),
      isNull(posts.pinnedAt),
    );
  }

  /** Published, unpinned posts, newest first. */
  async feedNew(
    brandId: string,
    communityId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<PostWithCursor[]> {
    return (tx ?? this.client.db)
      .select({ ...getTableColumns(posts), cursorAt: cursorAt(posts.createdAt) })
      .from(posts)
      .where(
        and(
          this.feedFilter(brandId, communityId),
          page.after ? olderThan(posts.createdAt, posts.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(posts.createdAt), desc(posts.id))
      .limit(page.limit + 1);
  }

  /** Published, unpinned posts by stored hot score, highest first. */
  async feedHot(
    brandId: string,
    communityId: string,
    page: { limit: number; after?: HotPosition },
    tx?: Executor,
  ): Promise<Post[]> {
    const after = page.after;
    return (tx ?? this.client.db)
      .select()
      .from(posts)
      .where(
        and(
          this.feedFilter(brandId, communityId),
          after
            ? sql`(${posts.hotScore}, ${posts.id}) < (${after.score}::float8, ${after.id}::uuid)`
            : undefined,
        ),
      )
      .orderBy(desc(posts.hotScore), desc(posts.id))
      .limit(page.limit + 1);
  }

  /** Pinned published posts, most recently pinned first. */
  async pinned(
    brandId: string,
    communityId: string,
    limit: number,
    tx?: Executor,
  ): Promise<Post[]> {
    return (tx ?? this.client.db)
      .select()
      .from(posts)
      .where(
        and(
          eq(posts.brandId, brandId),
          eq(posts.communityId, communityId),
          eq(posts.status, 'published'),
          isNotNull(posts.pinnedAt),
        ),
      )
      .orderBy(desc(posts.pinnedAt), desc(posts.id))
      .limit(limit);
  }

  async countPinned(brandId: string, communityId: string, tx: Executor): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(posts)
      .where(
        and(
          eq(posts.brandId, brandId),
          eq(posts.communityId, communityId),
          isNotNull(posts.pinnedAt),
        ),
      );
    return row?.n ?? 0;
  }

  /** An author's posts in every status but deleted, newest first. */
  async byAuthor(
    brandId: string,
    authorId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<PostWithCursor[]> {
    return (tx ?? this.client.db)
      .select({ ...getTableColumns(posts), cursorAt: cursorAt(posts.createdAt) })
      .from(posts)
      .where(
        and(
          eq(posts.brandId, brandId),
          eq(posts.authorId, authorId),
          ne(posts.status, 'deleted'),
          page.after ? olderThan(posts.createdAt, posts.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(posts.createdAt), desc(posts.id))
      .limit(page.limit + 1);
  }

  // ---- polls ---------------------------------------------------------------------------------

  /** The vote row; null when this member already voted. */
  async insertVote(
    brandId: string,
    values: { postId: string; memberId: string; optionId: string },
    tx: Executor,
  ): Promise<boolean> {
    const rows = await tx
      .insert(pollVotes)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning({ postId: pollVotes.postId });
    return rows.length > 0;
  }

  /** +1 on one option's count inside the poll jsonb, in the vote's transaction. */
  async incrementPollCount(
    brandId: string,
    postId: string,
    optionId: string,
    tx: Executor,
  ): Promise<Post> {
    const [row] = await tx
      .update(posts)
      .set({
        poll: sql`jsonb_set(${posts.poll}, array['counts', ${optionId}::text], to_jsonb(coalesce((${posts.poll} -> 'counts' ->> ${optionId}::text)::int, 0) + 1))`,
      })
      .where(and(eq(posts.brandId, brandId), eq(posts.id, postId)))
      .returning();
    return row;
  }

  /** The option each of these posts' polls got from this member. */
  async votesOf(
    brandId: string,
    memberId: string,
    postIds: string[],
    tx?: Executor,
  ): Promise<Map<string, string>> {
    if (!postIds.length) return new Map();
    const rows = await (tx ?? this.client.db)
      .select({ postId: pollVotes.postId, optionId: pollVotes.optionId })
      .from(pollVotes)
      .where(
        and(
          eq(pollVotes.brandId, brandId),
          eq(pollVotes.memberId, memberId),
          inArray(pollVotes.postId, postIds),
        ),
      );
    return new Map(rows.map((r) => [r.postId, r.optionId]));
  }
}
