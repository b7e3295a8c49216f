import { DomainError, ErrorKind, ForbiddenError, NotFoundError } from '@app/common';

/** Stable error codes of reviews (晒单) and helpful votes. */
export enum ReviewErrorCode {
  NotPurchased = 'review_not_purchased',
  LineRefunded = 'review_line_refunded',
  ReviewExists = 'review_exists',
  ReviewNotFound = 'review_not_found',
  NotAuthor = 'review_not_author',
  NotEditable = 'review_not_editable',
  OwnReviewVote = 'review_own_vote',
  // Shared with the communities part, so clients handle one code whichever route refused them.
  CommunityNotFound = 'community_not_found',
  CommunityArchived = 'community_archived',
  NotACommunityMember = 'community_not_a_member',
  MemberMuted = 'member_muted',
  MemberBanned = 'member_banned',
}

/**
 * The member did not buy this line: no such order or line in the brand, or another member's
 * order. One error for all three, so nobody can probe which orders exist.
 */
export class ReviewNotPurchasedError extends ForbiddenError {
  constructor() {
    super('You can only review an order line you bought', ReviewErrorCode.NotPurchased);
  }
}

export class ReviewLineRefundedError extends DomainError {
  constructor() {
    super(
      ReviewErrorCode.LineRefunded,
      ErrorKind.Conflict,
      'This order line was fully refunded: it can no longer be reviewed',
    );
  }
}

/** One review per order line, ever (a deleted review still holds its line). */
export class ReviewExistsError extends DomainError {
  constructor() {
    super(ReviewErrorCode.ReviewExists, ErrorKind.Conflict, 'This order line is already reviewed');
  }
}

export class ReviewNotFoundError extends NotFoundError {
  constructor() {
    super('Review', ReviewErrorCode.ReviewNotFound);
  }
}

export class ReviewNotAuthorError extends ForbiddenError {
  constructor() {
    super('Only the author can change this review', ReviewErrorCode.NotAuthor);
  }
}

/** Hidden, removed or deleted reviews are out of the author's hands. */
export class ReviewNotEditableError extends DomainError {
  constructor(status: string) {
    super(
      ReviewErrorCode.NotEditable,
      ErrorKind.Conflict,
      `A review whose status is ${status} cannot be changed`,
      { status },
    );
  }
}

export class OwnReviewVoteError extends ForbiddenError {
  constructor() {
    super('You cannot vote for your own review', ReviewErrorCode.OwnReviewVote);
  }
}

export class ReviewCommunityNotFoundError extends NotFoundError {
  constructor() {
    super('Community', ReviewErrorCode.CommunityNotFound);
  }
}

export class ReviewCommunityArchivedError extends DomainError {
  constructor() {
    super(
      ReviewErrorCode.CommunityArchived,
      ErrorKind.Conflict,
      'This community is archived: read only',
    );
  }
}

export class ReviewNotACommunityMemberError extends ForbiddenError {
  constructor() {
    super('Join the community to share into it', ReviewErrorCode.NotACommunityMember);
  }
}

export class ReviewMemberMutedError extends DomainError {
  constructor(until: Date) {
    super(ReviewErrorCode.MemberMuted, ErrorKind.Forbidden, 'You are muted in this community', {
      until: until.toISOString(),
    });
  }
}

export class ReviewMemberBannedError extends ForbiddenError {
  constructor() {
    super('You are banned from this community', ReviewErrorCode.MemberBanned);
  }
}
