import { Inject, Injectable } from '@nestjs/common';
import type { Executor } from '@app/db';
import { NotCommunityModeratorError } from './moderation.errors';
import { ModerationRepository } from './moderation.repository';

/**
 * Who moderates: brand staff (the controllers admit only owner and moderator roles) moderate the
 * whole brand; a member moderates the communities where community_members.role is moderator or
 * owner, and nothing outside a community (e.g. unshared reviews).
 */
export type ModeratorActor =
  { type: 'staff'; brandId: string; id: string } | { type: 'member'; brandId: string; id: string };

@Injectable()
export class ModerationAccessService {
  constructor(@Inject(ModerationRepository) private readonly repo: ModerationRepository) {}

  /**
   * Null: every community of the brand; else the communities this member moderates (403 for a
   * member who moderates none: the queue is not for them).
   */
  async scope(actor: ModeratorActor, tx?: Executor): Promise<string[] | null> {
    if (actor.type === 'staff') return null;
    const ids = await this.repo.moderatedCommunityIds(actor.brandId, actor.id, tx);
    if (!ids.length) throw new NotCommunityModeratorError('You do not moderate any community');
    return ids;
  }

  /** Throws unless the actor may moderate content of `communityId` (null: outside communities). */
  async assertCanModerate(
    actor: ModeratorActor,
    communityId: string | null,
    tx?: Executor,
  ): Promise<void> {
    if (actor.type === 'staff') return;
    if (!communityId)
      throw new NotCommunityModeratorError('Only brand staff moderate this content');
    const role = await this.repo.communityRole(actor.brandId, communityId, actor.id, tx);
    if (role !== 'moderator' && role !== 'owner') throw new NotCommunityModeratorError();
  }
}
