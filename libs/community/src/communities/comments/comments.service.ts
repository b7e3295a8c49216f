import { Inject, Injectable } from '@nestjs/common';
import type { Page } from '@app/common';
import { DatabaseClient, type Executor } from '@app/db';
import { type MemberPrincipal, decodePosition, keysetPage, pageSize } from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import { COMMUNITY_TOPICS } from '../../community.events';
import {
  ContentBlockedError,
  ModerationCasesService,
  ScreeningService,
  type ScreeningVerdict,
} from '../../moderation';
import {
  CommentNotFoundError,
  CommunityArchivedError,
  ContentNotEditableError,
  DuplicateContentError,
  NotAuthorError,
  PostNotFoundError,
  ReplyDepthExceededError,
} from '../communities.errors';
import { CommunitiesService } from '../communities.service';
import { type Viewer, assertCanParticipate } from '../community-access';
import { COMMENT_BODY_MAX, assertBody, contentTextHash } from '../posts/post-content';
import type { Post } from '../posts/posts.repository';
import { PostsRepository } from '../posts/posts.repository';
import { PostsService } from '../posts/posts.service';
import { type ReactionKind, ReactionsRepository } from '../reactions/reactions.repository';
import { ContentRateLimiter } from '../spam/content-rate-limiter';
import { type Comment, CommentsRepository } from './comments.repository';

export interface CommentView extends Comment {
  myReaction: ReactionKind | null;
}

const realtime = { realtime: 'key' } as const;

/**
 * Comments with one level of replies. Creation and edits are screened, rate-limited and
 * duplicate-checked like posts; the post's comment counter (and hot score) and the parent's
 * reply counter move in the comment's transaction.
 */
@Injectable()
export class CommentsService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(CommentsRepository) private readonly comments: CommentsRepository,
    @Inject(PostsRepository) private readonly postRows: PostsRepository,
    @Inject(PostsService) private readonly posts: PostsService,
    @Inject(ReactionsRepository) private readonly reactions: ReactionsRepository,
    @Inject(CommunitiesService) private readonly communities: CommunitiesService,
    @Inject(ScreeningService) private readonly screening: ScreeningService,
    @Inject(ModerationCasesService) private readonly cases: ModerationCasesService,
    @Inject(ContentRateLimiter) private readonly rateLimiter: ContentRateLimiter,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  async create(
    member: MemberPrincipal,
    postId: string,
    input: { body: string; parentId?: string | null },
  ): Promise<CommentView> {
    const brandId = member.brandId;
    const post = await this.publishedPost(member, postId);
    const { community, standing } = await this.communities.context(member, post.communityId);
    assertCanParticipate(member, standing);
    if (community.archivedAt) throw new CommunityArchivedError();
    const body = assertBody(input.body, COMMENT_BODY_MAX);
    const parentId = input.parentId ?? null;
    if (parentId) {
      const parent = await this.comments.findById(brandId, parentId);
      if (!parent || parent.postId !== postId || parent.status === 'deleted')
        throw new CommentNotFoundError();
      if (parent.parentId) throw new ReplyDepthExceededError();
    }
    await this.rateLimiter.consume(brandId, member.id, 'comment');
    const verdict = await this.screen(brandId, body);
    const hash = contentTextHash(body);
    const status = verdict.action === 'hold' ? 'held' : 'published';
    const comment = await this.db.transaction(async (tx) => {
      await this.postRows.lockAuthor(brandId, member.id, 'comment', tx);
      if (await this.comments.hasRecentDuplicate(brandId, member.id, hash, null, tx))
        throw new DuplicateContentError();
      const created = await this.comments.insert(
        brandId,
        { postId, parentId, authorId: member.id, body, status, textHash: hash },
        tx,
      );
      await this.postRows.addToCounters(brandId, postId, { comments: 1 }, tx);
      if (parentId) await this.comments.addToCounters(brandId, parentId, { replies: 1 }, tx);
      await this.openCaseIfNeeded(brandId, created, post, verdict, tx);
      await this.outbox.publish(tx, brandId, {
        topic: COMMUNITY_TOPICS.commentCreated,
        key: `community:${post.communityId}`,
        headers: status === 'published' ? { ...realtime } : {},
        payload: {
          commentId: created.id,
          postId,
          communityId: post.communityId,
          authorId: member.id,
          parentId,
        },
      });
      return created;
    });
    return { ...comment, myReaction: null };
  }

  /** Top-level comments of a post, or the replies of `parentId`, oldest first. */
  async list(
    viewer: Viewer,
    postId: string,
    query: { parentId?: string; limit?: number; cursor?: string },
  ): Promise<Page<CommentView>> {
    await this.posts.findVisible(viewer, postId);
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    const page = keysetPage(
      await this.comments.list(viewer.brandId, postId, {
        parentId: query.parentId ?? null,
        viewerId: viewer.type === 'member' ? viewer.id : null,
        limit,
        after,
      }),
      limit,
    );
    return { items: await this.views(viewer, page.items), nextCursor: page.nextCursor };
  }

  async update(member: MemberPrincipal, id: string, input: { body: string }): Promise<CommentView> {
    const brandId = member.brandId;
    const existing = await this.authored(member, id);
    const post = await this.publishedPost(member, existing.postId);
    const { standing } = await this.communities.context(member, post.communityId);
    assertCanParticipate(member, standing);
    const body = assertBody(input.body, COMMENT_BODY_MAX);
    const hash = contentTextHash(body);
    const verdict = await this.screen(brandId, body);
    const updated = await this.db.transaction(async (tx) => {
      const current = await this.comments.findById(brandId, id, tx, 'update');
      if (!current || current.status === 'deleted') throw new CommentNotFoundError();
      if (current.status !== 'published' && current.status !== 'held')
        throw new ContentNotEditableError(current.status);
      await this.postRows.lockAuthor(brandId, member.id, 'comment', tx);
      if (await this.comments.hasRecentDuplicate(brandId, member.id, hash, id, tx))
        throw new DuplicateContentError();
      const saved = await this.comments.update(
        brandId,
        id,
        {
          body,
          textHash: hash,
          editedAt: new Date(),
          ...(verdict.action === 'hold' ? { status: 'held' as const } : {}),
        },
        tx,
      );
      await this.openCaseIfNeeded(brandId, saved, post, verdict, tx);
      return saved;
    });
    const [view] = await this.views(member, [updated]);
    return view;
  }

  /** The author deletes: status 'deleted'; the post and parent counters drop in the same tx. */
  async delete(member: MemberPrincipal, id: string): Promise<void> {
    const brandId = member.brandId;
    await this.db.transaction(async (tx) => {
      const comment = await this.comments.findById(brandId, id, tx, 'update');
      if (!comment || comment.status === 'deleted') throw new CommentNotFoundError();
      if (comment.authorId !== member.id) throw new NotAuthorError();
      const post = await this.postRows.findById(brandId, comment.postId, tx);
      if (!post) throw new CommentNotFoundError();
      await this.comments.update(brandId, id, { status: 'deleted' }, tx);
      await this.postRows.addToCounters(brandId, comment.postId, { comments: -1 }, tx);
      if (comment.parentId)
        await this.comments.addToCounters(brandId, comment.parentId, { replies: -1 }, tx);
      await this.outbox.publish(tx, brandId, {
        topic: COMMUNITY_TOPICS.commentDeleted,
        key: `community:${post.communityId}`,
        headers: comment.status === 'published' ? { ...realtime } : {},
        payload: { commentId: id, postId: comment.postId, communityId: post.communityId },
      });
    });
  }

  /** A published comment on a post the viewer may see, with that post (for reactions). */
  async findReactable(viewer: Viewer, id: string): Promise<{ comment: Comment; post: Post }> {
    const comment = await this.comments.findById(viewer.brandId, id);
    if (!comment || comment.status !== 'published') throw new CommentNotFoundError();
    const post = await this.publishedPost(viewer, comment.postId);
    return { comment, post };
  }

  private async publishedPost(viewer: Viewer, postId: string): Promise<Post> {
    const post = await this.posts.findVisible(viewer, postId);
    if (post.status !== 'published') throw new PostNotFoundError();
    return post;
  }

  private async authored(member: MemberPrincipal, id: string): Promise<Comment> {
    const comment = await this.comments.findById(member.brandId, id);
    if (!comment || comment.status === 'deleted') throw new CommentNotFoundError();
    if (comment.authorId !== member.id) throw new NotAuthorError();
    if (comment.status !== 'published' && comment.status !== 'held')
      throw new ContentNotEditableError(comment.status);
    return comment;
  }

  private async views(viewer: Viewer, comments: Comment[]): Promise<CommentView[]> {
    if (viewer.type !== 'member' || !comments.length)
      return comments.map((c) => ({ ...c, myReaction: null }));
    const mine = await this.reactions.kindsOf(
      viewer.brandId,
      viewer.id,
      'comment',
      comments.map((c) => c.id),
    );
    return comments.map((c) => ({ ...c, myReaction: mine.get(c.id) ?? null }));
  }

  private async screen(brandId: string, text: string): Promise<ScreeningVerdict> {
    const verdict = await this.screening.screen(brandId, text);
    if (verdict.action === 'block') throw new ContentBlockedError();
    return verdict;
  }

  private async openCaseIfNeeded(
    brandId: string,
    comment: Comment,
    post: Post,
    verdict: ScreeningVerdict,
    tx: Executor,
  ): Promise<void> {
    if (verdict.action !== 'hold' && verdict.action !== 'flag') return;
    await this.cases.open(
      brandId,
      {
        targetType: 'comment',
        targetId: comment.id,
        communityId: post.communityId,
        memberId: comment.authorId,
        reason: verdict.action === 'hold' ? 'held' : 'flagged',
        ruleIds: verdict.ruleIds,
      },
      tx,
    );
  }
}
