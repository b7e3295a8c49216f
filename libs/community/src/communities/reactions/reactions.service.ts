import { Inject, Injectable } from '@nestjs/common';
import { DatabaseClient, type Executor } from '@app/db';
import type { MemberPrincipal } from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import { COMMUNITY_TOPICS } from '../../community.events';
import { CommentsRepository } from '../comments/comments.repository';
import { CommentsService } from '../comments/comments.service';
import { CommunitiesService } from '../communities.service';
import { assertCanParticipate } from '../community-access';
import { PostNotFoundError } from '../communities.errors';
import { PostsRepository } from '../posts/posts.repository';
import { PostsService } from '../posts/posts.service';
import {
  type ReactionKind,
  type ReactionTarget,
  type ReactionTargetType,
  ReactionsRepository,
} from './reactions.repository';

export interface ReactionState {
  targetType: ReactionTargetType;
  targetId: string;
  /** The member's reaction now (null after removing it). */
  kind: ReactionKind | null;
  reactionCount: number;
  counts: Record<ReactionKind, number>;
}

/**
 * Reactions on posts and comments: one per member per target, a new kind replaces the old, the
 * target's counter (and a post's hot score) moves in the reaction's transaction.
 */
@Injectable()
export class ReactionsService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(ReactionsRepository) private readonly reactions: ReactionsRepository,
    @Inject(PostsRepository) private readonly postRows: PostsRepository,
    @Inject(PostsService) private readonly posts: PostsService,
    @Inject(CommentsRepository) private readonly commentRows: CommentsRepository,
    @Inject(CommentsService) private readonly comments: CommentsService,
    @Inject(CommunitiesService) private readonly communities: CommunitiesService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  /** Sets (or replaces) the member's reaction; `kind: null` removes it. */
  async react(
    member: MemberPrincipal,
    target: ReactionTarget,
    kind: ReactionKind | null,
  ): Promise<ReactionState> {
    const communityId = await this.participableCommunity(member, target);
    const brandId = member.brandId;
    return this.db.transaction(async (tx) => {
      const before = (
        await this.reactions.kindsOf(brandId, member.id, target.targetType, [target.targetId], tx)
      ).get(target.targetId);
      let delta = 0;
      if (kind) {
        if ((await this.reactions.upsert(brandId, target, member.id, kind, tx)).created) delta = 1;
      } else if (await this.reactions.delete(brandId, target, member.id, tx)) delta = -1;
      const total = await this.moveCounter(brandId, target, delta, tx);
      const counts = await this.reactions.countsByKind(brandId, target, tx);
      if (delta !== 0 || (kind && before !== kind))
        await this.outbox.publish(tx, brandId, {
          topic: COMMUNITY_TOPICS.reactionChanged,
          key: `community:${communityId}`,
          headers: { realtime: 'key' },
          payload: {
            ...target,
            communityId,
            memberId: member.id,
            kind,
            counts: { total, ...counts },
          },
        });
      return { ...target, kind, reactionCount: total, counts };
    });
  }

  /** Updates the counter (row lock: concurrent reactions queue here) and returns the new total. */
  private async moveCounter(
    brandId: string,
    target: ReactionTarget,
    delta: number,
    tx: Executor,
  ): Promise<number> {
    if (target.targetType === 'post') {
      const post = await this.postRows.addToCounters(
        brandId,
        target.targetId,
        { reactions: delta },
        tx,
      );
      if (!post) throw new PostNotFoundError();
      return post.reactionCount;
    }
    const comment = await this.commentRows.addToCounters(
      brandId,
      target.targetId,
      { reactions: delta },
      tx,
    );
    return comment?.reactionCount ?? 0;
  }

  /** The target's community, when the member may react there (published target, not muted). */
  private async participableCommunity(
    member: MemberPrincipal,
    target: ReactionTarget,
  ): Promise<string> {
    let communityId: string;
    if (target.targetType === 'post') {
      const post = await this.posts.findVisible(member, target.targetId);
      if (post.status !== 'published') throw new PostNotFoundError();
      communityId = post.communityId;
    } else {
      communityId = (await this.comments.findReactable(member, target.targetId)).post.communityId;
    }
    const { standing } = await this.communities.context(member, communityId);
    assertCanParticipate(member, standing);
    return communityId;
  }
}
