import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, getTableColumns, isNull, ne, or, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, comments } from '@app/db';
import { type CreatedAtPosition, cursorAt } from '@app/identity';
import { DUPLICATE_WINDOW } from '../posts/posts.repository';

export type Comment = typeof comments.$inferSelect;
export type NewComment = Pick<
  typeof comments.$inferInsert,
  'postId' | 'parentId' | 'authorId' | 'body' | 'status' | 'textHash'
>;
export type CommentChanges = Partial<Pick<Comment, 'body' | 'status' | 'textHash' | 'editedAt'>>;

@Injectable()
export class CommentsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  async insert(brandId: string, values: NewComment, tx: Executor): Promise<Comment> {
    const [row] = await tx
      .insert(comments)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  async findById(
    brandId: string,
    id: string,
    tx?: Executor,
    lock?: 'update',
  ): Promise<Comment | null> {
    const query = (tx ?? this.client.db)
      .select()
      .from(comments)
      .where(and(eq(comments.brandId, brandId), eq(comments.id, id)))
      .limit(1);
    const [row] = lock ? await query.for(lock) : await query;
    return row ?? null;
  }

  async update(
    brandId: string,
    id: string,
    changes: CommentChanges,
    tx: Executor,
  ): Promise<Comment> {
    const [row] = await tx
      .update(comments)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(comments.brandId, brandId), eq(comments.id, id)))
      .returning();
    return row;
  }

  async addToCounters(
    brandId: string,
    id: string,
    delta: { reactions?: number; replies?: number },
    tx: Executor,
  ): Promise<Comment | null> {
    const [row] = await tx
      .update(comments)
      .set({
        reactionCount: sql`greatest(0, ${comments.reactionCount} + ${delta.reactions ?? 0})`,
        replyCount: sql`greatest(0, ${comments.replyCount} + ${delta.replies ?? 0})`,
      })
      .where(and(eq(comments.brandId, brandId), eq(comments.id, id)))
      .returning();
    return row ?? null;
  }

  async hasRecentDuplicate(
    brandId: string,
    authorId: string,
    hash: string,
    exceptId: string | null,
    tx: Executor,
  ): Promise<boolean> {
    const [row] = await tx
      .select({ id: comments.id })
      .from(comments)
      .where(
        and(
          eq(comments.brandId, brandId),
          eq(comments.authorId, authorId),
          eq(comments.textHash, hash),
          ne(comments.status, 'deleted'),
          sql`${comments.createdAt} > now() - ${DUPLICATE_WINDOW}`,
          exceptId ? ne(comments.id, exceptId) : undefined,
        ),
      )
      .limit(1);
    return Boolean(row);
  }

  /**
   * Top-level comments of a post (parentId null) or the replies of one comment, oldest first:
   * published ones, plus the viewer's own held ones.
   */
  async list(
    brandId: string,
    postId: string,
    page: {
      parentId: string | null;
      viewerId: string | null;
      limit: number;
      after?: CreatedAtPosition;
    },
    tx?: Executor,
  ): Promise<(Comment & { cursorAt: string })[]> {
    const after = page.after;
    return (tx ?? this.client.db)
      .select({ ...getTableColumns(comments), cursorAt: cursorAt(comments.createdAt) })
      .from(comments)
      .where(
        and(
          eq(comments.brandId, brandId),
          eq(comments.postId, postId),
          page.parentId ? eq(comments.parentId, page.parentId) : isNull(comments.parentId),
          page.viewerId
            ? or(
                eq(comments.status, 'published'),
                and(eq(comments.status, 'held'), eq(comments.authorId, page.viewerId)),
              )
            : eq(comments.status, 'published'),
          after
            ? sql`(${comments.createdAt}, ${comments.id}) > (${after.at}::timestamptz, ${after.id}::uuid)`
            : undefined,
        ),
      )
      .orderBy(asc(comments.createdAt), asc(comments.id))
      .limit(page.limit + 1);
  }
}
