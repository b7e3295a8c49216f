import { Inject, Injectable } from '@nestjs/common';
import { DatabaseClient, type Executor } from '@app/db';
import { OutboxPublisher } from '@app/outbox';
import { COMMUNITY_TOPICS } from '../community.events';
import { ModerationAccessService, type ModeratorActor } from './moderation-access.service';
import {
  ModerationCommunityNotFoundError,
  ModerationMemberNotFoundError,
  NoActiveSanctionError,
  NotCommunityModeratorError,
} from './moderation.errors';
import { moderationDecidedMessage } from './moderation.events';
import {
  type ModerationActionRow,
  ModerationRepository,
  type Sanction,
  type SanctionKind,
} from './moderation.repository';

/** Longest mute or ban: five years (a "permanent" ban is a long one, and still reviewable). */
export const MAX_SANCTION_MINUTES = 5 * 365 * 24 * 60;

export interface SanctionInput {
  communityId: string;
  memberId: string;
  kind: SanctionKind;
  durationMinutes: number;
  reason: string;
}

export interface LiftSanctionInput {
  communityId: string;
  memberId: string;
  kind: SanctionKind;
  reason: string;
}

/**
 * Mutes and bans of members in a community. A ban also ends the membership (member_count kept in
 * step); the communities context refuses muted members' writes and banned members' joins.
 */
@Injectable()
export class SanctionsService {
  constructor(
    @Inject(DatabaseClient) private readonly client: DatabaseClient,
    @Inject(ModerationRepository) private readonly repo: ModerationRepository,
    @Inject(ModerationAccessService) private readonly access: ModerationAccessService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  async impose(
    actor: ModeratorActor,
    input: SanctionInput,
  ): Promise<{ sanction: Sanction; action: ModerationActionRow }> {
    const { brandId } = actor;
    return this.client.transaction(async (tx) => {
      await this.checkParties(actor, input.communityId, input.memberId, tx);
      const until = new Date(Date.now() + input.durationMinutes * 60_000);
      const sanction = await this.repo.upsertSanction(
        brandId,
        {
          communityId: input.communityId,
          memberId: input.memberId,
          kind: input.kind,
          until,
          reason: input.reason,
          actorType: actor.type,
          actorId: actor.id,
        },
        tx,
      );
      const left =
        input.kind === 'ban' &&
        (await this.repo.removeMembership(brandId, input.communityId, input.memberId, tx));
      const action = await this.repo.insertAction(
        brandId,
        {
          action: input.kind,
          targetType: null,
          targetId: null,
          communityId: input.communityId,
          memberId: input.memberId,
          caseId: null,
          reason: input.reason,
          until,
          actorType: actor.type,
          actorId: actor.id,
        },
        tx,
      );
      await this.outbox.publishMany(tx, brandId, [
        moderationDecidedMessage(brandId, action, null),
        ...(left
          ? [
              {
                topic: COMMUNITY_TOPICS.memberLeft,
                key: `community:${input.communityId}`,
                payload: { communityId: input.communityId, memberId: input.memberId },
              },
            ]
          : []),
      ]);
      return { sanction, action };
    });
  }

  async lift(actor: ModeratorActor, input: LiftSanctionInput): Promise<ModerationActionRow> {
    const { brandId } = actor;
    return this.client.transaction(async (tx) => {
      await this.checkParties(actor, input.communityId, input.memberId, tx);
      const lifted = await this.repo.deleteActiveSanction(
        brandId,
        input.communityId,
        input.memberId,
        input.kind,
        tx,
      );
      if (!lifted) throw new NoActiveSanctionError(input.kind);
      const action = await this.repo.insertAction(
        brandId,
        {
          action: input.kind === 'mute' ? 'unmute' : 'unban',
          targetType: null,
          targetId: null,
          communityId: input.communityId,
          memberId: input.memberId,
          caseId: null,
          reason: input.reason,
          until: null,
          actorType: actor.type,
          actorId: actor.id,
        },
        tx,
      );
      await this.outbox.publish(tx, brandId, moderationDecidedMessage(brandId, action, null));
      return action;
    });
  }

  /**
   * The community and member must be the brand's (404 otherwise); a community moderator may
   * sanction plain members of their community, not its other moderators or owners.
   */
  private async checkParties(
    actor: ModeratorActor,
    communityId: string,
    memberId: string,
    tx: Executor,
  ): Promise<void> {
    if (!(await this.repo.findCommunity(actor.brandId, communityId, tx)))
      throw new ModerationCommunityNotFoundError();
    if (!(await this.repo.memberExists(actor.brandId, memberId, tx)))
      throw new ModerationMemberNotFoundError();
    await this.access.assertCanModerate(actor, communityId, tx);
    if (actor.type === 'member') {
      const role = await this.repo.communityRole(actor.brandId, communityId, memberId, tx);
      if (role === 'moderator' || role === 'owner')
        throw new NotCommunityModeratorError('Only brand staff sanction community moderators');
    }
  }
}
