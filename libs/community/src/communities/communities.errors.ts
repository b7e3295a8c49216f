import {
  DomainError,
  ErrorKind,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '@app/common';

/** Stable error codes of communities, posts, comments and reactions. */
export enum CommunityErrorCode {
  CommunityNotFound = 'community_not_found',
  SlugTaken = 'community_slug_taken',
  CommunityArchived = 'community_archived',
  MembersOnly = 'community_members_only',
  InviteRequired = 'community_invite_required',
  NotAMember = 'community_not_a_member',
  NotCommunityModerator = 'community_moderator_required',
  MemberNotFound = 'community_member_not_found',
  MemberMuted = 'member_muted',
  MemberBanned = 'member_banned',
  PostNotFound = 'post_not_found',
  CommentNotFound = 'comment_not_found',
  NotAuthor = 'not_author',
  UnknownProduct = 'unknown_product',
  ReplyDepthExceeded = 'reply_depth_exceeded',
  NoPoll = 'post_has_no_poll',
  PollClosed = 'poll_closed',
  PollAlreadyVoted = 'poll_already_voted',
  PollOptionUnknown = 'poll_option_unknown',
  TooManyPinned = 'too_many_pinned_posts',
  DuplicateContent = 'duplicate_content',
  PostRateLimited = 'post_rate_limited',
  CommentRateLimited = 'comment_rate_limited',
  ContentNotEditable = 'content_not_editable',
}

export class CommunityNotFoundError extends NotFoundError {
  constructor() {
    super('Community', CommunityErrorCode.CommunityNotFound);
  }
}

export class CommunitySlugTakenError extends DomainError {
  constructor() {
    super(
      CommunityErrorCode.SlugTaken,
      ErrorKind.Conflict,
      'Another community of this brand already uses this slug',
    );
  }
}

export class CommunityArchivedError extends DomainError {
  constructor() {
    super(
      CommunityErrorCode.CommunityArchived,
      ErrorKind.Conflict,
      'This community is archived: read only',
    );
  }
}

/** A members-only or invite-only community read by someone who is not a member. */
export class CommunityMembersOnlyError extends ForbiddenError {
  constructor() {
    super('Only members of this community can see it', CommunityErrorCode.MembersOnly);
  }
}

export class CommunityInviteRequiredError extends ForbiddenError {
  constructor() {
    super('This community is invite-only', CommunityErrorCode.InviteRequired);
  }
}

export class NotACommunityMemberError extends ForbiddenError {
  constructor() {
    super('Join the community first', CommunityErrorCode.NotAMember);
  }
}

export class CommunityModeratorRequiredError extends ForbiddenError {
  constructor(what = 'community moderators') {
    super(`Only ${what} can do this`, CommunityErrorCode.NotCommunityModerator);
  }
}

export class CommunityMemberNotFoundError extends NotFoundError {
  constructor() {
    super('Member', CommunityErrorCode.MemberNotFound);
  }
}

export class MemberMutedError extends ForbiddenError {
  constructor(until: Date) {
    super(
      `You are muted in this community until ${until.toISOString()}`,
      CommunityErrorCode.MemberMuted,
    );
  }
}

export class MemberBannedError extends ForbiddenError {
  constructor() {
    super('You are banned from this community', CommunityErrorCode.MemberBanned);
  }
}

export class PostNotFoundError extends NotFoundError {
  constructor() {
    super('Post', CommunityErrorCode.PostNotFound);
  }
}

export class CommentNotFoundError extends NotFoundError {
  constructor() {
    super('Comment', CommunityErrorCode.CommentNotFound);
  }
}

export class NotAuthorError extends ForbiddenError {
  constructor() {
    super('Only the author can do this', CommunityErrorCode.NotAuthor);
  }
}

export class ContentNotEditableError extends DomainError {
  constructor(status: string) {
    super(
      CommunityErrorCode.ContentNotEditable,
      ErrorKind.Conflict,
      `Content in status ${status} cannot be changed`,
      { status },
    );
  }
}

export class UnknownProductError extends ValidationError {
  constructor(productIds: string[]) {
    super(
      'Some product tags are not products of this brand',
      { fields: { productIds: ['must be products of this brand'] }, productIds },
      CommunityErrorCode.UnknownProduct,
    );
  }
}

export class ReplyDepthExceededError extends ValidationError {
  constructor() {
    super(
      'Replies are one level deep: reply to the top-level comment instead',
      { fields: { parentId: ['must be a top-level comment of this post'] } },
      CommunityErrorCode.ReplyDepthExceeded,
    );
  }
}

export class PostHasNoPollError extends DomainError {
  constructor() {
    super(CommunityErrorCode.NoPoll, ErrorKind.NotFound, 'This post has no poll');
  }
}

export class PollClosedError extends DomainError {
  constructor() {
    super(CommunityErrorCode.PollClosed, ErrorKind.Conflict, 'This poll is closed');
  }
}

export class PollAlreadyVotedError extends DomainError {
  constructor() {
    super(
      CommunityErrorCode.PollAlreadyVoted,
      ErrorKind.Conflict,
      'You already voted in this poll',
    );
  }
}

export class PollOptionUnknownError extends ValidationError {
  constructor() {
    super(
      'Not an option of this poll',
      { fields: { optionId: ['must be an option id of this poll'] } },
      CommunityErrorCode.PollOptionUnknown,
    );
  }
}

export class TooManyPinnedPostsError extends DomainError {
  constructor(max: number) {
    super(
      CommunityErrorCode.TooManyPinned,
      ErrorKind.Conflict,
      `A community pins at most ${max} posts: unpin one first`,
      { max },
    );
  }
}

export class DuplicateContentError extends DomainError {
  constructor() {
    super(
      CommunityErrorCode.DuplicateContent,
      ErrorKind.Conflict,
      'You posted the same text in the last 24 hours',
    );
  }
}

export class ContentRateLimitedError extends DomainError {
  constructor(what: 'post' | 'comment', retryAfterSeconds: number) {
    super(
      what === 'post' ? CommunityErrorCode.PostRateLimited : CommunityErrorCode.CommentRateLimited,
      ErrorKind.RateLimited,
      `Too many ${what}s: try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }
}
