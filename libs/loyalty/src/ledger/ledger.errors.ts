import { DomainError, ErrorKind, NotFoundError, ValidationError } from '@app/common';

/** Stable error codes of the points ledger. */
export enum LedgerErrorCode {
  InsufficientPoints = 'loyalty.insufficient_points',
  InvalidPoints = 'loyalty.invalid_points',
  EarnEntryNotFound = 'loyalty.earn_entry_not_found',
  DedupeKeyConflict = 'loyalty.dedupe_key_conflict',
  InvalidProgram = 'loyalty.invalid_program',
  IdempotencyKeyRequired = 'loyalty.idempotency_key_required',
}

/** A debit larger than the member's spendable points (409). */
export class InsufficientPointsError extends DomainError {
  constructor(requested: number, available: number) {
    super(
      LedgerErrorCode.InsufficientPoints,
      ErrorKind.Conflict,
      `Not enough points: ${requested} requested, ${available} available`,
      { requested, available },
    );
  }
}

/** Points must be a positive integer (400). */
export class InvalidPointsError extends ValidationError {
  constructor(field = 'points', message = 'must be a positive integer') {
    super(
      'Invalid points amount',
      { fields: { [field]: [message] } },
      LedgerErrorCode.InvalidPoints,
    );
  }
}

/** The earn entry a clawback names is not an earn of this member in this brand (404). */
export class EarnEntryNotFoundError extends NotFoundError {
  constructor() {
    super('Earn entry', LedgerErrorCode.EarnEntryNotFound);
  }
}

/** A dedupe key already used for a different member (409): the caller's keys are not unique. */
export class DedupeKeyConflictError extends DomainError {
  constructor(dedupeKey: string) {
    super(
      LedgerErrorCode.DedupeKeyConflict,
      ErrorKind.Conflict,
      'This idempotency key was already used for another operation',
      { dedupeKey },
    );
  }
}

export class InvalidProgramError extends ValidationError {
  constructor(fields: Record<string, string[]>) {
    super('Invalid loyalty programme settings', { fields }, LedgerErrorCode.InvalidProgram);
  }
}

/** The `Idempotency-Key` header is missing or malformed (400). */
export class LedgerIdempotencyKeyRequiredError extends ValidationError {
  constructor() {
    super(
      'The Idempotency-Key header is required (1–200 visible ASCII characters)',
      { fields: { 'idempotency-key': ['is required: 1–200 visible ASCII characters'] } },
      LedgerErrorCode.IdempotencyKeyRequired,
    );
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Checks the `Idempotency-Key` header value (first one when repeated). */
export function ledgerIdempotencyKey(header: unknown): string {
  const value = Array.isArray(header) ? (header as unknown[])[0] : header;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value))
    throw new LedgerIdempotencyKeyRequiredError();
  return value;
}
