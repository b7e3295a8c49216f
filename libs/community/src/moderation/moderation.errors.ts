import { DomainError, ErrorKind, NotFoundError, ValidationError } from '@app/common';

/** Stable error codes of community moderation. */
export enum ModerationErrorCode {
  ContentBlocked = 'content_blocked',
  RuleNotFound = 'moderation_rule_not_found',
  PatternInvalid = 'moderation_pattern_invalid',
  PatternUnsafe = 'moderation_pattern_unsafe',
  TargetNotFound = 'moderation_target_not_found',
  CaseNotFound = 'moderation_case_not_found',
  ActionNotAllowed = 'moderation_action_not_allowed',
  ReportDuplicate = 'report_duplicate',
  ReportOwnContent = 'report_own_content',
  ReportRateLimited = 'report_rate_limited',
  CommunityNotFound = 'moderation_community_not_found',
  MemberNotFound = 'moderation_member_not_found',
  NotCommunityModerator = 'moderation_not_community_moderator',
  NoOpenCase = 'moderation_no_open_case',
  NoActiveSanction = 'moderation_no_active_sanction',
  ChatMessageInRoom = 'moderation_chat_message_in_room',
}

/**
 * Screening matched a `block` rule: nothing is written. The message names no rule or pattern,
 * so authors cannot probe the rule list word by word.
 */
export class ContentBlockedError extends DomainError {
  constructor() {
    super(
      ModerationErrorCode.ContentBlocked,
      ErrorKind.Invalid,
      'This content cannot be published: it breaks the community rules',
    );
  }
}

export class ModerationRuleNotFoundError extends NotFoundError {
  constructor() {
    super('Moderation rule', ModerationErrorCode.RuleNotFound);
  }
}

export class PatternInvalidError extends ValidationError {
  constructor(reason: string) {
    super(
      `Invalid pattern: ${reason}`,
      { fields: { pattern: [reason] } },
      ModerationErrorCode.PatternInvalid,
    );
  }
}

export class PatternUnsafeError extends ValidationError {
  constructor(reason: string) {
    super(
      `Unsafe pattern: ${reason}`,
      { fields: { pattern: [reason] } },
      ModerationErrorCode.PatternUnsafe,
    );
  }
}

/** The reported / moderated content does not exist in this brand (or is not visible to the actor). */
export class ModerationTargetNotFoundError extends NotFoundError {
  constructor() {
    super('Content', ModerationErrorCode.TargetNotFound);
  }
}

export class ModerationCaseNotFoundError extends NotFoundError {
  constructor() {
    super('Moderation case', ModerationErrorCode.CaseNotFound);
  }
}

export class ModerationCommunityNotFoundError extends NotFoundError {
  constructor() {
    super('Community', ModerationErrorCode.CommunityNotFound);
  }
}

export class ModerationMemberNotFoundError extends NotFoundError {
  constructor() {
    super('Member', ModerationErrorCode.MemberNotFound);
  }
}

/** The action makes no sense for the content's current status (e.g. approve a removed post). */
export class ActionNotAllowedError extends DomainError {
  constructor(action: string, status: string) {
    super(
      ModerationErrorCode.ActionNotAllowed,
      ErrorKind.Conflict,
      `Cannot ${action} content whose status is ${status}`,
      { action, status },
    );
  }
}

export class ReportDuplicateError extends DomainError {
  constructor() {
    super(ModerationErrorCode.ReportDuplicate, ErrorKind.Conflict, 'You already reported this');
  }
}

export class ReportOwnContentError extends DomainError {
  constructor() {
    super(
      ModerationErrorCode.ReportOwnContent,
      ErrorKind.Forbidden,
      'You cannot report your own content',
    );
  }
}

export class ReportRateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(
      ModerationErrorCode.ReportRateLimited,
      ErrorKind.RateLimited,
      'Too many reports; try again later',
      { retryAfterSeconds },
    );
  }
}

/** A community moderator acting outside their communities, or on something only staff may do. */
export class NotCommunityModeratorError extends DomainError {
  constructor(message = 'You do not moderate this community') {
    super(ModerationErrorCode.NotCommunityModerator, ErrorKind.Forbidden, message);
  }
}

export class NoOpenCaseError extends DomainError {
  constructor() {
    super(ModerationErrorCode.NoOpenCase, ErrorKind.Conflict, 'This content has no open case');
  }
}

export class NoActiveSanctionError extends DomainError {
  constructor(kind: string) {
    super(
      ModerationErrorCode.NoActiveSanction,
      ErrorKind.Conflict,
      `The member has no active ${kind} in this community`,
      { kind },
    );
  }
}

/** A published drop chat message is deleted from the drop's control room (it tells the room). */
export class ChatMessageInRoomError extends DomainError {
  constructor() {
    super(
      ModerationErrorCode.ChatMessageInRoom,
      ErrorKind.Conflict,
      "Delete a published chat message from its drop's control room, which also removes it from viewers' screens; dismiss closes the case",
    );
  }
}
