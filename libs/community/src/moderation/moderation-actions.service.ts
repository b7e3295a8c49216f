import { Inject, Injectable } from '@nestjs/common';
import type { Page } from '@app/common';
import { DatabaseClient, type Transaction } from '@app/db';
import { decodePosition, keysetPage, pageSize } from '@app/identity';
import { type OutboxMessageInput, OutboxPublisher } from '@app/outbox';
import { ModerationAccessService, type ModeratorActor } from './moderation-access.service';
import {
  ActionNotAllowedError,
  ChatMessageInRoomError,
  ModerationCaseNotFoundError,
  ModerationTargetNotFoundError,
  NoOpenCaseError,
} from './moderation.errors';
import {
  approvedMessage,
  contentModeratedForAuthor,
  contentModeratedForCommunity,
  moderationDecidedMessage,
  removedMessage,
} from './moderation.events';
import {
  type ContentTargetType,
  type ModerationActionRow,
  type ModerationCase,
  ModerationRepository,
} from './moderation.repository';
import { type ContentAction, nextChatStatus, nextStatus } from './moderation-transitions';

export interface ContentDecision {
  action: ContentAction;
  /** Drop chat messages take `dismiss`, and `remove` while held (`nextChatStatus`). */
  targetType: ContentTargetType | 'chat_message';
  targetId: string;
  /** When given, it must be the target's open case. */
  caseId?: string;
  reason: string;
}

/**
 * Moderation decisions on posts, comments and reviews. One transaction per decision: the status
 * change, the audit row, the case resolution and every outbox event commit together or not at all.
 */
@Injectable()
export class ModerationActionsService {
  constructor(
    @Inject(DatabaseClient) private readonly client: DatabaseClient,
    @Inject(ModerationRepository) private readonly repo: ModerationRepository,
    @Inject(ModerationAccessService) private readonly access: ModerationAccessService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  decide(actor: ModeratorActor, input: ContentDecision): Promise<ModerationActionRow> {
    const { brandId } = actor;
    const { targetType } = input;
    if (targetType === 'chat_message') return this.decideChat(actor, input);
    return this.client.transaction(async (tx) => {
      // Target row first, then its case: the same lock order as content writes (A, B).
      const target = await this.repo.findTarget(brandId, targetType, input.targetId, tx, {
        forUpdate: true,
      });
      if (!target) throw new ModerationTargetNotFoundError();
      await this.access.assertCanModerate(actor, target.communityId, tx);
      const openCase = await this.openCaseOf(actor, input, tx);
      const to = nextStatus(input.action, target.status);
      if (to === undefined) throw new ActionNotAllowedError(input.action, target.status);
      if (input.action === 'dismiss' && !openCase) throw new NoOpenCaseError();

      const sharedPosts = to
        ? await this.repo.setTargetStatus(brandId, target.targetType, target.id, to, tx)
        : [];
      const row = await this.record(actor, input, target, openCase, tx);

      const status = to ?? target.status;
      const messages: (OutboxMessageInput | null)[] = [
        moderationDecidedMessage(brandId, row, status),
        contentModeratedForAuthor(target, input.action, status, input.reason),
      ];
      // The reward fires on the first approval only (approved_at was null): approving content
      // that was hidden after an earlier approval does not pay twice.
      if (input.action === 'approve' && target.approvedAt === null)
        messages.push(approvedMessage(target));
      if (input.action === 'remove') messages.push(removedMessage(target, input.reason));
      if (to && to !== target.status) {
        if (target.targetType !== 'review' && target.communityId)
          messages.push(
            contentModeratedForCommunity(
              target.communityId,
              { targetType: target.targetType, targetId: target.id, postId: target.postId },
              to,
            ),
          );
        for (const shared of sharedPosts)
          messages.push(
            contentModeratedForCommunity(
              shared.communityId,
              { targetType: 'post', targetId: shared.postId, postId: null },
              to,
            ),
          );
      }
      await this.outbox.publishMany(
        tx,
        brandId,
        messages.filter((m): m is OutboxMessageInput => m !== null),
      );
      return row;
    });
  }

  /**
   * A drop chat message's case (ADR 0015): `dismiss` closes it, `remove` takes a held message
   * down. No author notice and no reward event: chat earns nothing, and the author was told at
   * once that the message was held. Staff see the decision on their feed like any other.
   */
  private decideChat(actor: ModeratorActor, input: ContentDecision): Promise<ModerationActionRow> {
    const { brandId } = actor;
    return this.client.transaction(async (tx) => {
      // Message row first, then its case: the same lock order as the room's delete.
      const [message] = await this.repo.chatMessages(brandId, [input.targetId], tx, {
        forUpdate: true,
      });
      if (!message) throw new ModerationTargetNotFoundError();
      await this.access.assertCanModerate(actor, null, tx);
      const openCase = await this.openCaseOf(actor, input, tx);
      const to = nextChatStatus(input.action, message.status);
      if (to === undefined) {
        if (input.action === 'remove' && message.status === 'published')
          throw new ChatMessageInRoomError();
        throw new ActionNotAllowedError(input.action, message.status);
      }
      if (input.action === 'dismiss' && !openCase) throw new NoOpenCaseError();
      if (to === 'removed') await this.repo.removeHeldChatMessage(brandId, message.id, tx);
      const row = await this.record(
        actor,
        input,
        { id: message.id, communityId: null, authorId: message.memberId },
        openCase,
        tx,
      );
      await this.outbox.publish(
        tx,
        brandId,
        moderationDecidedMessage(brandId, row, to ?? message.status),
      );
      return row;
    });
  }

  /** The audit row of a decision, and its case resolved by it. */
  private async record(
    actor: ModeratorActor,
    input: ContentDecision,
    target: { id: string; communityId: string | null; authorId: string },
    openCase: ModerationCase | null,
    tx: Transaction,
  ): Promise<ModerationActionRow> {
    const row = await this.repo.insertAction(
      actor.brandId,
      {
        action: input.action,
        targetType: input.targetType,
        targetId: target.id,
        communityId: target.communityId,
        memberId: target.authorId,
        caseId: openCase?.id ?? null,
        reason: input.reason,
        until: null,
        actorType: actor.type,
        actorId: actor.id,
      },
      tx,
    );
    if (openCase) await this.repo.resolveCase(actor.brandId, openCase.id, input.action, tx);
    return row;
  }

  /** The target's open case, locked; a `caseId` that names another (or a closed) one is refused. */
  private async openCaseOf(
    actor: ModeratorActor,
    input: ContentDecision,
    tx: Transaction,
  ): Promise<ModerationCase | null> {
    const openCase = await this.repo.findOpenCaseForUpdate(
      actor.brandId,
      input.targetType,
      input.targetId,
      tx,
    );
    if (input.caseId && openCase?.id !== input.caseId) {
      const named = await this.repo.findCase(actor.brandId, input.caseId, tx);
      if (!named || named.targetId !== input.targetId) throw new ModerationCaseNotFoundError();
      throw new NoOpenCaseError();
    }
    return openCase;
  }

  /** The audit trail, newest first; community moderators see their communities' rows only. */
  async history(
    actor: ModeratorActor,
    query: { targetId?: string; memberId?: string; limit?: number; cursor?: string },
  ): Promise<Page<ModerationActionRow>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : null;
    const communityIds = await this.access.scope(actor);
    const rows = await this.repo.listActions(
      actor.brandId,
      { targetId: query.targetId, memberId: query.memberId, communityIds },
      limit,
      after,
    );
    return keysetPage(rows, limit);
  }
}
