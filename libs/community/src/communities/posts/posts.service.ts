import { Inject, Injectable } from '@nestjs/common';
import type { Page } from '@app/common';
import { DatabaseClient, type Executor, type PollDefinition } from '@app/db';
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
  CommunityArchivedError,
  ContentNotEditableError,
  DuplicateContentError,
  NotAuthorError,
  PollAlreadyVotedError,
  PollClosedError,
  PollOptionUnknownError,
  PostHasNoPollError,
  PostNotFoundError,
  TooManyPinnedPostsError,
  UnknownProductError,
} from '../communities.errors';
import { CommunitiesService } from '../communities.service';
import {
  type Viewer,
  assertCanModerate,
  assertCanParticipate,
  assertCanRead,
} from '../community-access';
import { ReactionsRepository, type ReactionKind } from '../reactions/reactions.repository';
import { ContentRateLimiter } from '../spam/content-rate-limiter';
import { type FeedSort, decodeFeedCursor, encodeFeedCursor } from './feed-cursor';
import {
  POST_BODY_MAX,
  type PollInput,
  assertBody,
  assertImageUrls,
  buildPoll,
  contentTextHash,
  pollIsClosed,
} from './post-content';
import { type Post, type PostChanges, PostsRepository } from './posts.repository';

/** A post as one viewer sees it. */
export interface PostView extends Post {
  myReaction: ReactionKind | null;
  /** The option this viewer voted for (null: not voted, or no poll). */
  myVote: string | null;
}

export interface CreatePostInput {
  body: string;
  imageUrls?: string[];
  productIds?: string[];
  poll?: PollInput | null;
}

export type UpdatePostInput = Partial<Pick<CreatePostInput, 'body' | 'imageUrls' | 'productIds'>>;

/** At most this many pinned posts per community: they all lead the first page of the feed. */
export const MAX_PINNED_POSTS = 5;

const realtime = { realtime: 'key' } as const;
const communityKey = (communityId: string) => `community:${communityId}`;

/** The text screening looks at: the body and any poll wording. */
function screenedText(body: string, poll?: PollInput | PollDefinition | null): string {
  if (!poll) return body;
  const options = poll.options.map((o) => (typeof o === 'string' ? o : o.text));
  return [body, poll.question, ...options].join('\n');
}

/**
 * Posts: creation and edits (screened, rate-limited, duplicate-checked), author deletion, feeds
 * (new / hot, pinned first), polls and pins. Counters and outbox messages change in the
 * transaction of the rows they describe.
 */
@Injectable()
export class PostsService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(PostsRepository) private readonly posts: PostsRepository,
    @Inject(ReactionsRepository) private readonly reactions: ReactionsRepository,
    @Inject(CommunitiesService) private readonly communities: CommunitiesService,
    @Inject(ScreeningService) private readonly screening: ScreeningService,
    @Inject(ModerationCasesService) private readonly cases: ModerationCasesService,
    @Inject(ContentRateLimiter) private readonly rateLimiter: ContentRateLimiter,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  async create(
    member: MemberPrincipal,
    communityId: string,
    input: CreatePostInput,
  ): Promise<PostView> {
    const brandId = member.brandId;
    const { community, standing } = await this.communities.context(member, communityId);
    assertCanParticipate(member, standing);
    if (community.archivedAt) throw new CommunityArchivedError();
    const body = assertBody(input.body, POST_BODY_MAX);
    const imageUrls = input.imageUrls ?? [];
    assertImageUrls(imageUrls);
    const productIds = [...new Set(input.productIds ?? [])];
    const poll = input.poll ? buildPoll(input.poll, new Date()) : null;
    await this.rateLimiter.consume(brandId, member.id, 'post');
    await this.assertKnownProducts(brandId, productIds);
    const verdict = await this.screen(brandId, screenedText(body, poll));
    const hash = contentTextHash(body);
    const status = verdict.action === 'hold' ? 'held' : 'published';
    const post = await this.db.transaction(async (tx) => {
      await this.posts.lockAuthor(brandId, member.id, 'post', tx);
      if (await this.posts.hasRecentDuplicate(brandId, member.id, hash, null, tx))
        throw new DuplicateContentError();
      const created = await this.posts.insert(
        brandId,
        {
          communityId,
          authorId: member.id,
          body,
          imageUrls,
          productIds,
          poll,
          status,
          textHash: hash,
          approved: status === 'published',
        },
        tx,
      );
      await this.communities.addPosts(brandId, communityId, 1, tx);
      await this.openCaseIfNeeded(brandId, created, verdict, tx);
      await this.outbox.publish(tx, brandId, {
        topic: COMMUNITY_TOPICS.postCreated,
        key: communityKey(communityId),
        // Held posts are not announced: nobody but the author may see them yet.
        headers: status === 'published' ? { ...realtime } : {},
        payload: { postId: created.id, communityId, authorId: member.id, status },
      });
      if (status === 'published')
        await this.outbox.publish(tx, brandId, {
          topic: COMMUNITY_TOPICS.postApproved,
          key: `member:${member.id}`,
          payload: { postId: created.id, communityId, memberId: member.id },
        });
      return created;
    });
    return { ...post, myReaction: null, myVote: null };
  }

  /** One post: published ones to whoever may read the community; others to the author and staff. */
  async get(viewer: Viewer, id: string): Promise<PostView> {
    const post = await this.findVisible(viewer, id);
    const [view] = await this.views(viewer, [post]);
    return view;
  }

  /** The author edits body, images or product tags; screened again like a new post. */
  async update(member: MemberPrincipal, id: string, input: UpdatePostInput): Promise<PostView> {
    const brandId = member.brandId;
    const existing = await this.posts.findById(brandId, id);
    if (!existing || existing.status === 'deleted') throw new PostNotFoundError();
    if (existing.authorId !== member.id) throw new NotAuthorError();
    if (existing.status !== 'published' && existing.status !== 'held')
      throw new ContentNotEditableError(existing.status);
    const { standing } = await this.communities.context(member, existing.communityId);
    assertCanParticipate(member, standing);
    const changes: PostChanges = { editedAt: new Date() };
    if (input.body !== undefined) {
      changes.body = assertBody(input.body, POST_BODY_MAX);
      changes.textHash = contentTextHash(changes.body);
    }
    if (input.imageUrls !== undefined) {
      assertImageUrls(input.imageUrls);
      changes.imageUrls = input.imageUrls;
    }
    if (input.productIds !== undefined) {
      changes.productIds = [...new Set(input.productIds)];
      await this.assertKnownProducts(brandId, changes.productIds);
    }
    const verdict =
      changes.body !== undefined
        ? await this.screen(brandId, screenedText(changes.body, existing.poll))
        : ({ action: 'allow', ruleIds: [] } satisfies ScreeningVerdict);
    if (verdict.action === 'hold') changes.status = 'held';
    const updated = await this.db.transaction(async (tx) => {
      const current = await this.posts.findById(brandId, id, tx, 'update');
      if (!current || current.status === 'deleted') throw new PostNotFoundError();
      if (current.status !== 'published' && current.status !== 'held')
        throw new ContentNotEditableError(current.status);
      if (changes.textHash) {
        await this.posts.lockAuthor(brandId, member.id, 'post', tx);
        if (await this.posts.hasRecentDuplicate(brandId, member.id, changes.textHash, id, tx))
          throw new DuplicateContentError();
      }
      const saved = await this.posts.update(brandId, id, changes, tx);
      await this.openCaseIfNeeded(brandId, saved, verdict, tx);
      // Open feeds refresh (or drop the post, when the edit sent it back to review).
      if (current.status === 'published')
        await this.outbox.publish(tx, brandId, {
          topic: COMMUNITY_TOPICS.postUpdated,
          key: communityKey(saved.communityId),
          headers: { ...realtime },
          payload: {
            postId: id,
            communityId: saved.communityId,
            authorId: member.id,
            status: saved.status,
          },
        });
      return saved;
    });
    const [view] = await this.views(member, [updated]);
    return view;
  }

  /** The author deletes: status 'deleted' (kept for moderation history), unpinned, uncounted. */
  async delete(member: MemberPrincipal, id: string): Promise<void> {
    const brandId = member.brandId;
    await this.db.transaction(async (tx) => {
      const post = await this.posts.findById(brandId, id, tx, 'update');
      if (!post || post.status === 'deleted') throw new PostNotFoundError();
      if (post.authorId !== member.id) throw new NotAuthorError();
      await this.posts.update(brandId, id, { status: 'deleted', pinnedAt: null }, tx);
      await this.communities.addPosts(brandId, post.communityId, -1, tx);
      await this.outbox.publish(tx, brandId, {
        topic: COMMUNITY_TOPICS.postDeleted,
        key: communityKey(post.communityId),
        headers: post.status === 'published' ? { ...realtime } : {},
        payload: { postId: id, communityId: post.communityId, authorId: member.id },
      });
    });
  }

  /**
   * The community feed: published posts by `new` (created_at, id) or `hot` (stored hot_score,
   * id), keyset-paginated. The first page starts with the pinned posts (outside `limit`);
   * pinned posts never appear further down.
   */
  async feed(
    viewer: Viewer,
    communityId: string,
    query: { sort?: FeedSort; limit?: number; cursor?: string },
  ): Promise<Page<PostView>> {
    await this.communities.readable(viewer, communityId);
    const brandId = viewer.brandId;
    const sort = query.sort ?? 'new';
    const limit = pageSize(query.limit);
    const position = query.cursor ? decodeFeedCursor(sort, query.cursor) : undefined;
    const pinned = position ? [] : await this.posts.pinned(brandId, communityId, MAX_PINNED_POSTS);
    let items: Post[];
    let nextCursor: string | null;
    if (sort === 'new') {
      const page = keysetPage(
        await this.posts.feedNew(brandId, communityId, {
          limit,
          after: position?.sort === 'new' ? position.after : undefined,
        }),
        limit,
      );
      ({ items, nextCursor } = page);
    } else {
      const rows = await this.posts.feedHot(brandId, communityId, {
        limit,
        after: position?.sort === 'hot' ? position.after : undefined,
      });
      items = rows.slice(0, limit);
      const last = items[items.length - 1];
      nextCursor =
        rows.length > limit && last
          ? encodeFeedCursor({ sort: 'hot', after: { score: last.hotScore, id: last.id } })
          : null;
    }
    return { items: await this.views(viewer, [...pinned, ...items]), nextCursor };
  }

  /** The member's own posts in every status but deleted (held ones included), newest first. */
  async mine(
    member: MemberPrincipal,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<PostView>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    const page = keysetPage(
      await this.posts.byAuthor(member.brandId, member.id, { limit, after }),
      limit,
    );
    return { items: await this.views(member, page.items), nextCursor: page.nextCursor };
  }

  /** One vote per member; the option's count moves in the vote's transaction. */
  async vote(member: MemberPrincipal, id: string, optionId: string): Promise<PostView> {
    const brandId = member.brandId;
    const post = await this.findVisible(member, id);
    if (post.status !== 'published') throw new PostNotFoundError();
    const { standing } = await this.communities.context(member, post.communityId);
    assertCanParticipate(member, standing);
    const poll = post.poll;
    if (!poll) throw new PostHasNoPollError();
    if (pollIsClosed(poll, new Date())) throw new PollClosedError();
    if (!poll.options.some((o) => o.id === optionId)) throw new PollOptionUnknownError();
    const updated = await this.db.transaction(async (tx) => {
      if (
        !(await this.posts.insertVote(brandId, { postId: id, memberId: member.id, optionId }, tx))
      )
        throw new PollAlreadyVotedError();
      return this.posts.incrementPollCount(brandId, id, optionId, tx);
    });
    const [view] = await this.views(member, [updated]);
    return view;
  }

  /** Community moderators/owner or staff owner/moderator pin a published post (max 5). */
  async pin(viewer: Viewer, id: string): Promise<PostView> {
    const post = await this.moderatable(viewer, id);
    const updated = await this.db.transaction(async (tx) => {
      const current = await this.posts.findById(viewer.brandId, id, tx, 'update');
      if (!current || current.status !== 'published') throw new PostNotFoundError();
      if (current.pinnedAt) return current;
      // Lock the community row so two concurrent pins cannot both pass the count.
      await this.communities.lock(viewer.brandId, post.communityId, tx);
      if ((await this.posts.countPinned(viewer.brandId, post.communityId, tx)) >= MAX_PINNED_POSTS)
        throw new TooManyPinnedPostsError(MAX_PINNED_POSTS);
      return this.posts.update(viewer.brandId, id, { pinnedAt: new Date() }, tx);
    });
    const [view] = await this.views(viewer, [updated]);
    return view;
  }

  async unpin(viewer: Viewer, id: string): Promise<void> {
    await this.moderatable(viewer, id);
    await this.db.transaction(async (tx) => {
      await this.posts.update(viewer.brandId, id, { pinnedAt: null }, tx);
    });
  }

  // ---- used by comments and reactions --------------------------------------------------------

  /** A post the viewer may see (see `get`), 404 otherwise. */
  async findVisible(viewer: Viewer, id: string, tx?: Executor): Promise<Post> {
    const post = await this.posts.findById(viewer.brandId, id, tx);
    if (!post) throw new PostNotFoundError();
    if (viewer.type === 'staff') return post;
    if (post.status === 'deleted') throw new PostNotFoundError();
    if (post.status !== 'published' && post.authorId !== viewer.id) throw new PostNotFoundError();
    const { standing } = await this.communities.context(viewer, post.communityId, tx);
    assertCanRead(viewer, standing);
    return post;
  }

  private async moderatable(viewer: Viewer, id: string): Promise<Post> {
    const post = await this.posts.findById(viewer.brandId, id);
    if (!post || post.status === 'deleted') throw new PostNotFoundError();
    const { standing } = await this.communities.context(viewer, post.communityId);
    assertCanModerate(viewer, standing);
    return post;
  }

  private async views(viewer: Viewer, posts: Post[]): Promise<PostView[]> {
    if (viewer.type !== 'member' || !posts.length)
      return posts.map((p) => ({ ...p, myReaction: null, myVote: null }));
    const ids = posts.map((p) => p.id);
    const withPoll = posts.filter((p) => p.poll).map((p) => p.id);
    const [reactions, votes] = await Promise.all([
      this.reactions.kindsOf(viewer.brandId, viewer.id, 'post', ids),
      this.posts.votesOf(viewer.brandId, viewer.id, withPoll),
    ]);
    return posts.map((p) => ({
      ...p,
      myReaction: reactions.get(p.id) ?? null,
      myVote: votes.get(p.id) ?? null,
    }));
  }

  private async assertKnownProducts(brandId: string, productIds: string[]): Promise<void> {
    const unknown = await this.posts.unknownProducts(brandId, productIds);
    if (unknown.length) throw new UnknownProductError(unknown);
  }

  /** Screening before any transaction: a block refuses the content with nothing written. */
  private async screen(brandId: string, text: string): Promise<ScreeningVerdict> {
    const verdict = await this.screening.screen(brandId, text);
    if (verdict.action === 'block') throw new ContentBlockedError();
    return verdict;
  }

  private async openCaseIfNeeded(
    brandId: string,
    post: Post,
    verdict: ScreeningVerdict,
    tx: Executor,
  ): Promise<void> {
    if (verdict.action !== 'hold' && verdict.action !== 'flag') return;
    await this.cases.open(
      brandId,
      {
        targetType: 'post',
        targetId: post.id,
        communityId: post.communityId,
        memberId: post.authorId,
        reason: verdict.action === 'hold' ? 'held' : 'flagged',
        ruleIds: verdict.ruleIds,
      },
      tx,
    );
  }
}
