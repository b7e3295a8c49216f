import { DomainError, ErrorKind, NotFoundError } from '@app/common';

export enum SegmentsErrorCode {
  SegmentNotFound = 'segments.segment_not_found',
  SegmentNameTaken = 'segments.segment_name_taken',
  TagNotFound = 'segments.tag_not_found',
  MemberNotFound = 'segments.member_not_found',
}

export class SegmentNotFoundError extends NotFoundError {
  constructor() {
    super('Segment', SegmentsErrorCode.SegmentNotFound);
  }
}

export class SegmentNameTakenError extends DomainError {
  constructor(name: string) {
    super(
      SegmentsErrorCode.SegmentNameTaken,
      ErrorKind.Conflict,
      `A segment named "${name}" exists`,
    );
  }
}

export class TagNotFoundError extends NotFoundError {
  constructor() {
    super('Tag', SegmentsErrorCode.TagNotFound);
  }
}
