import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import {
  ContentBlockedError,
  ModerationCasesService,
  ModerationRepository,
  ScreeningService,
} from '@app/community';
import { DatabaseClient } from '@app/db';
import { ChatRateLimiter } from './chat-rate-limiter';
import { type ChatMessageRow, DropLiveRepository } from './drop-live.repository';
import { DROP_EVENTS, DropRoomEmitter } from './drop-room.emitter';
import {
  ChatMembersOnlyError,
  ChatMessageNotFoundError,
  ChatMutedError,
  DropMemberNotFoundError,
  NotRoomModeratorError,
} from './live.errors';
import type { RoomPrincipal } from './room-principal';

export const MAX_CHAT_LENGTH = 500;
export const MAX_MUTE_MINUTES = 7 * 24 * 60;

/** `drop.chat` payload: a published message as every viewer sees it. */
export interface ChatMessageView {
  id: string;
  dropId: string;
  memberId: string;
  author: string;
  body: string;
  createdAt: string;
}

export interface SendChatResult {
  /** 'held': stored for the moderators, not shown to the room. */
  status: 'published' | 'held';
  message: ChatMessageView;
}

/**
 * Live-room chat: rate-limited per member, screened by the brand's community rules, stored in
 * drop_chat_messages and pushed straight to the room after commit (chat is ephemeral: no outbox
 * round trip, see ADR 0015). Held messages are stored with status 'deleted' and no deleted_at
 * (the chat status enum has no 'held') and open a moderation case.
 */
@Injectable()
export class DropChatService {
  private readonly prefix: string;

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
    @Inject(DropLiveRepository) private readonly repo: DropLiveRepository,
    @Inject(ScreeningService) private readonly screening: ScreeningService,
    @Inject(ModerationCasesService) private readonly cases: ModerationCasesService,
    @Inject(ModerationRepository) private readonly moderation: ModerationRepository,
    @Inject(ChatRateLimiter) private readonly limiter: ChatRateLimiter,
    @Inject(DropRoomEmitter) private readonly emitter: DropRoomEmitter,
  ) {
    this.prefix = config.redis.prefix;
  }

  /**
   * Brand staff moderate the room: owners, moderators, and marketers, who host drops (the schema
   * names the host only as text, so every staff role counts as a host).
   */
  static isModerator(principal: RoomPrincipal): boolean {
    return principal.type === 'staff';
  }

  async send(
    principal: RoomPrincipal,
    dropId: string,
    author: string,
    body: string,
  ): Promise<SendChatResult> {
    if (principal.type !== 'member') throw new ChatMembersOnlyError();
    const { brandId, id: memberId } = principal;
    const mutedUntil = await this.mutedUntil(brandId, dropId, memberId);
    if (mutedUntil) throw new ChatMutedError(mutedUntil);
    await this.limiter.consume(brandId, dropId, memberId);
    const verdict = await this.screening.screen(brandId, body);
    if (verdict.action === 'block') throw new ContentBlockedError();
    const held = verdict.action === 'hold';
    const row = await this.db.transaction(async (tx) => {
      const message = await this.repo.insertChatMessage(
        brandId,
        { dropId, memberId, body, status: held ? 'deleted' : 'published' },
        tx,
      );
      if (held || verdict.action === 'flag') {
        await this.cases.open(
          brandId,
          {
            targetType: 'chat_message',
            targetId: message.id,
            communityId: null,
            memberId,
            reason: held ? 'held' : 'flagged',
            ruleIds: verdict.ruleIds,
          },
          tx,
        );
      }
      return message;
    });
    const message = toView(row, author);
    if (!held) await this.emitter.toRoom(dropId, DROP_EVENTS.chat, message);
    return { status: held ? 'held' : 'published', message };
  }

  /**
   * Deletes a published message (audited; its open moderation case, if it was flagged, is
   * resolved) and tells the room; deleting it again is a no-op.
   */
  async delete(principal: RoomPrincipal, dropId: string, messageId: string): Promise<void> {
    this.assertModerator(principal);
    const { brandId } = principal;
    const message = await this.repo.findChatMessage(brandId, dropId, messageId);
    if (!message) throw new ChatMessageNotFoundError();
    const deleted = await this.db.transaction(async (tx) => {
      if (!(await this.repo.deleteChatMessage(brandId, messageId, tx))) return false;
      // A flagged message's case is decided by the deletion (message row, then case: the queue's
      // lock order too).
      const openCase = await this.moderation.findOpenCaseForUpdate(
        brandId,
        'chat_message',
        messageId,
        tx,
      );
      if (openCase) await this.moderation.resolveCase(brandId, openCase.id, 'delete_message', tx);
      await this.moderation.insertAction(
        brandId,
        {
          action: 'delete_message',
          targetType: 'chat_message',
          targetId: messageId,
          communityId: null,
          memberId: message.memberId,
          caseId: openCase?.id ?? null,
          reason: `drop ${dropId}: chat message deleted`,
          until: null,
          actorType: principal.type,
          actorId: principal.id,
        },
        tx,
      );
      return true;
    });
    if (deleted) await this.emitter.toRoom(dropId, DROP_EVENTS.chatDeleted, { dropId, messageId });
  }

  /**
   * Mutes a member in this drop's chat for `minutes` (a Redis key with that TTL, so it lifts by
   * itself), audited as a 'mute' on target type chat_message (target: the message that prompted
   * it, if given). The member's own sockets get `drop.muted`.
   */
  async mute(
    principal: RoomPrincipal,
    dropId: string,
    input: { memberId: string; minutes: number; messageId?: string; reason?: string },
  ): Promise<{ until: Date }> {
    this.assertModerator(principal);
    const { brandId } = principal;
    if ((await this.repo.memberName(brandId, input.memberId)) === null)
      throw new DropMemberNotFoundError();
    if (input.messageId && !(await this.repo.findChatMessage(brandId, dropId, input.messageId)))
      throw new ChatMessageNotFoundError();
    const until = new Date(Date.now() + input.minutes * 60_000);
    await this.db.transaction((tx) =>
      this.moderation.insertAction(
        brandId,
        {
          action: 'mute',
          targetType: 'chat_message',
          targetId: input.messageId ?? null,
          communityId: null,
          memberId: input.memberId,
          caseId: null,
          reason: input.reason ?? `drop ${dropId}: muted in the live chat`,
          until,
          actorType: principal.type,
          actorId: principal.id,
        },
        tx,
      ),
    );
    // After the audit row committed: a mute is never in force without its audit trail.
    await this.redis.set(
      this.muteKey(brandId, dropId, input.memberId),
      until.toISOString(),
      'PX',
      input.minutes * 60_000,
    );
    await this.emitter.toMember(input.memberId, DROP_EVENTS.muted, {
      dropId,
      until: until.toISOString(),
    });
    return { until };
  }

  async mutedUntil(brandId: string, dropId: string, memberId: string): Promise<Date | null> {
    const until = await this.redis.get(this.muteKey(brandId, dropId, memberId));
    return until ? new Date(until) : null;
  }

  private assertModerator(principal: RoomPrincipal): void {
    if (!DropChatService.isModerator(principal)) throw new NotRoomModeratorError();
  }

  private muteKey(brandId: string, dropId: string, memberId: string): string {
    return `${this.prefix}:drops:mute:${brandId}:${dropId}:${memberId}`;
  }
}

function toView(row: ChatMessageRow, author: string): ChatMessageView {
  return {
    id: row.id,
    dropId: row.dropId,
    memberId: row.memberId,
    author,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
  };
}
