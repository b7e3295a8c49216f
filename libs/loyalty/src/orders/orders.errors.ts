import {
  DomainError,
  ErrorKind,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '@app/common';

/** Stable error codes of order ingestion, refunds, earning rules and signed storefront requests. */
export enum OrdersErrorCode {
  SignatureMissing = 'loyalty.signature_missing',
  SignatureInvalid = 'loyalty.signature_invalid',
  SignatureExpired = 'loyalty.signature_expired',
  RequestReplayed = 'loyalty.request_replayed',
  CurrencyMismatch = 'loyalty.currency_mismatch',
  TotalsMismatch = 'loyalty.totals_mismatch',
  PlacedInFuture = 'loyalty.placed_at_in_future',
  MemberReferenceRequired = 'loyalty.member_reference_required',
  DuplicateLineNo = 'loyalty.duplicate_line_no',
  OrderNotFound = 'loyalty.order_not_found',
  RefundLineUnknown = 'loyalty.refund_line_unknown',
  RefundExceedsRemaining = 'loyalty.refund_exceeds_remaining',
  RefundEmpty = 'loyalty.refund_empty',
  RefundIdConflict = 'loyalty.refund_id_conflict',
  RuleNotFound = 'loyalty.rule_not_found',
  InvalidRule = 'loyalty.invalid_rule',
}

export class SignatureMissingError extends UnauthenticatedError {
  constructor() {
    super('Request must carry an x-signature header', OrdersErrorCode.SignatureMissing);
  }
}

export class SignatureInvalidError extends UnauthenticatedError {
  constructor() {
    super('Request signature does not match', OrdersErrorCode.SignatureInvalid);
  }
}

export class SignatureExpiredError extends UnauthenticatedError {
  constructor() {
    super(
      'Request signature timestamp is outside the accepted window',
      OrdersErrorCode.SignatureExpired,
    );
  }
}

export class RequestReplayedError extends UnauthenticatedError {
  constructor() {
    super('This signed request was already received', OrdersErrorCode.RequestReplayed);
  }
}

export class CurrencyMismatchError extends ValidationError {
  constructor(expected: string, got: string) {
    super(
      `Order currency ${got} is not the programme currency ${expected}`,
      { fields: { currency: [`must be ${expected}`] }, expected, got },
      OrdersErrorCode.CurrencyMismatch,
    );
  }
}

export class TotalsMismatchError extends ValidationError {
  constructor(paidTotalMinor: number, linesTotal: number) {
    super(
      'paidTotalMinor must equal the sum of the lines paidMinor',
      { fields: { paidTotalMinor: [`must equal ${linesTotal}`] }, paidTotalMinor, linesTotal },
      OrdersErrorCode.TotalsMismatch,
    );
  }
}

export class PlacedInFutureError extends ValidationError {
  constructor() {
    super(
      'placedAt is in the future',
      { fields: { placedAt: ['must not be in the future'] } },
      OrdersErrorCode.PlacedInFuture,
    );
  }
}

export class MemberReferenceRequiredError extends ValidationError {
  constructor() {
    super(
      'Exactly one of memberId and memberExternalId is required',
      {
        fields: {
          memberId: ['exactly one of memberId and memberExternalId is required'],
          memberExternalId: ['exactly one of memberId and memberExternalId is required'],
        },
      },
      OrdersErrorCode.MemberReferenceRequired,
    );
  }
}

export class DuplicateLineNoError extends ValidationError {
  constructor(lineNo: number) {
    super(
      `Line number ${lineNo} appears twice`,
      { fields: { lines: [`lineNo ${lineNo} appears twice`] } },
      OrdersErrorCode.DuplicateLineNo,
    );
  }
}

export class OrderNotFoundError extends NotFoundError {
  constructor() {
    super('Order', OrdersErrorCode.OrderNotFound);
  }
}

export class RefundLineUnknownError extends ValidationError {
  constructor(lineNo: number) {
    super(
      `The order has no line ${lineNo}`,
      { fields: { lines: [`line ${lineNo} is not a line of the order`] } },
      OrdersErrorCode.RefundLineUnknown,
    );
  }
}

export class RefundExceedsRemainingError extends ValidationError {
  constructor(lineNo: number, requested: number, refundable: number) {
    super(
      `Line ${lineNo}: ${requested} requested, ${refundable} refundable`,
      {
        fields: { lines: [`line ${lineNo}: at most ${refundable} refundable`] },
        lineNo,
        requested,
        refundable,
      },
      OrdersErrorCode.RefundExceedsRemaining,
    );
  }
}

export class RefundEmptyError extends ValidationError {
  constructor(message = 'A refund needs lines or full: true') {
    super(message, { fields: { lines: [message] } }, OrdersErrorCode.RefundEmpty);
  }
}

/** The refund id was already used for another order of the brand. */
export class RefundIdConflictError extends DomainError {
  constructor() {
    super(
      OrdersErrorCode.RefundIdConflict,
      ErrorKind.Conflict,
      'This refundId was already used for another order',
    );
  }
}

export class RuleNotFoundError extends NotFoundError {
  constructor() {
    super('Earning rule', OrdersErrorCode.RuleNotFound);
  }
}

export class InvalidRuleError extends ValidationError {
  constructor(fields: Record<string, string[]>) {
    super('Invalid earning rule', { fields }, OrdersErrorCode.InvalidRule);
  }
}
