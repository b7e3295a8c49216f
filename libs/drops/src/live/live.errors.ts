import { DomainError, ErrorKind, NotFoundError } from '@app/common';

/** Stable error codes of the live room (socket acks and the announcements endpoints). */
export enum DropLiveErrorCode {
  /** The same code as the drops endpoints' DropNotFoundError. */
  DropNotFound = 'drops.drop_not_found',
  NotInRoom = 'drops.room_not_joined',
  ChatRateLimited = 'drops.chat_rate_limited',
  ChatMuted = 'drops.chat_muted',
  ChatMessageNotFound = 'drops.chat_message_not_found',
  MemberNotFound = 'drops.member_not_found',
  NotRoomModerator = 'drops.not_room_moderator',
  MembersOnly = 'drops.chat_members_only',
}

/** Unknown drop, another brand's drop, or a draft seen by a member (no leak of either). */
export class DropRoomNotFoundError extends NotFoundError {
  constructor() {
    super('Drop', DropLiveErrorCode.DropNotFound);
  }
}

export class NotInRoomError extends DomainError {
  constructor() {
    super(
      DropLiveErrorCode.NotInRoom,
      ErrorKind.PreconditionFailed,
      'Join the drop room (drop:join) before chatting in it',
    );
  }
}

export class ChatRateLimitedError extends DomainError {
  constructor(retryAfterMs: number) {
    super(DropLiveErrorCode.ChatRateLimited, ErrorKind.RateLimited, 'Too many chat messages', {
      retryAfterMs,
    });
  }
}

export class ChatMutedError extends DomainError {
  constructor(until: Date) {
    super(DropLiveErrorCode.ChatMuted, ErrorKind.Forbidden, 'You are muted in this drop chat', {
      until: until.toISOString(),
    });
  }
}

export class ChatMessageNotFoundError extends NotFoundError {
  constructor() {
    super('Chat message', DropLiveErrorCode.ChatMessageNotFound);
  }
}

export class DropMemberNotFoundError extends NotFoundError {
  constructor() {
    super('Member', DropLiveErrorCode.MemberNotFound);
  }
}

export class NotRoomModeratorError extends DomainError {
  constructor() {
    super(
      DropLiveErrorCode.NotRoomModerator,
      ErrorKind.Forbidden,
      'Only brand staff (owner, moderator, or the marketer hosting the drop) moderate the room',
    );
  }
}

export class ChatMembersOnlyError extends DomainError {
  constructor() {
    super(
      DropLiveErrorCode.MembersOnly,
      ErrorKind.Forbidden,
      'Only members chat; staff post announcements',
    );
  }
}
