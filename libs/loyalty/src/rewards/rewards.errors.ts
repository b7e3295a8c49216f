import {
  DomainError,
  ErrorKind,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '@app/common';
import type { CouponRejection } from './coupons/coupon-rules';

/** Stable error codes of rewards and coupons (clients switch on these, never on messages). */
export enum RewardsErrorCode {
  RewardNotFound = 'loyalty.reward_not_found',
  OutOfStock = 'loyalty.reward_out_of_stock',
  LimitReached = 'loyalty.reward_limit_reached',
  TierTooLow = 'loyalty.reward_tier_too_low',
  RewardUnavailable = 'loyalty.reward_unavailable',
  IdempotencyKeyRequired = 'loyalty.idempotency_key_required',
  IdempotencyConflict = 'loyalty.idempotency_conflict',
  CouponTemplateNotFound = 'loyalty.coupon_template_not_found',
  CouponTemplateInactive = 'loyalty.coupon_template_inactive',
  CouponTemplateExhausted = 'loyalty.coupon_template_exhausted',
  CouponMemberCapReached = 'loyalty.coupon_member_cap_reached',
  CouponNotFound = 'loyalty.coupon_not_found',
  CouponAlreadyRedeemed = 'loyalty.coupon_already_redeemed',
  MemberNotFound = 'loyalty.member_not_found',
  CurrencyMismatch = 'loyalty.currency_mismatch',
}

export class RewardNotFoundError extends NotFoundError {
  constructor() {
    super('Reward', RewardsErrorCode.RewardNotFound);
  }
}

export class RewardOutOfStockError extends DomainError {
  constructor() {
    super(RewardsErrorCode.OutOfStock, ErrorKind.Conflict, 'This reward is out of stock');
  }
}

export class RewardLimitReachedError extends DomainError {
  constructor(limit: number) {
    super(
      RewardsErrorCode.LimitReached,
      ErrorKind.Conflict,
      'You have already redeemed this reward as often as allowed',
      { limit },
    );
  }
}

export class RewardTierTooLowError extends ForbiddenError {
  constructor() {
    super('Your tier does not give access to this reward', RewardsErrorCode.TierTooLow);
  }
}

/** Inactive or outside its validity window. */
export class RewardUnavailableError extends DomainError {
  constructor() {
    super(
      RewardsErrorCode.RewardUnavailable,
      ErrorKind.Conflict,
      'This reward is not available now',
    );
  }
}

export class IdempotencyKeyRequiredError extends ValidationError {
  constructor() {
    super(
      'The Idempotency-Key header is required (1–200 visible ASCII characters)',
      { fields: { 'idempotency-key': ['is required: 1–200 visible ASCII characters'] } },
      RewardsErrorCode.IdempotencyKeyRequired,
    );
  }
}

export class IdempotencyConflictError extends DomainError {
  constructor() {
    super(
      RewardsErrorCode.IdempotencyConflict,
      ErrorKind.Conflict,
      'This Idempotency-Key was already used for a different request',
    );
  }
}

export class CouponTemplateNotFoundError extends NotFoundError {
  constructor() {
    super('Coupon template', RewardsErrorCode.CouponTemplateNotFound);
  }
}

export class CouponTemplateInactiveError extends DomainError {
  constructor() {
    super(
      RewardsErrorCode.CouponTemplateInactive,
      ErrorKind.Conflict,
      'This coupon template is inactive or past its end date',
    );
  }
}

export class CouponTemplateExhaustedError extends DomainError {
  constructor() {
    super(
      RewardsErrorCode.CouponTemplateExhausted,
      ErrorKind.Conflict,
      'This coupon template has issued its maximum number of codes',
    );
  }
}

export class CouponMemberCapReachedError extends DomainError {
  constructor(cap: number) {
    super(
      RewardsErrorCode.CouponMemberCapReached,
      ErrorKind.Conflict,
      'This member already holds as many codes of this template as allowed',
      { cap },
    );
  }
}

export class CouponNotFoundError extends NotFoundError {
  constructor() {
    super('Coupon', RewardsErrorCode.CouponNotFound);
  }
}

export class CouponAlreadyRedeemedError extends DomainError {
  constructor() {
    super(
      RewardsErrorCode.CouponAlreadyRedeemed,
      ErrorKind.Conflict,
      'This coupon was already redeemed on another order',
    );
  }
}

export class LoyaltyMemberNotFoundError extends NotFoundError {
  constructor() {
    super('Member', RewardsErrorCode.MemberNotFound);
  }
}

/** A checkout rejection raised by /redeem (validate answers 200 with the reason instead). */
export class CouponRejectedError extends DomainError {
  constructor(readonly reason: CouponRejection) {
    super(`loyalty.coupon_${reason}`, ErrorKind.Conflict, `Coupon cannot be redeemed: ${reason}`, {
      reason,
    });
  }
}

export function couponRejectionError(reason: CouponRejection): DomainError {
  if (reason === 'not_found') return new CouponNotFoundError();
  if (reason === 'already_redeemed') return new CouponAlreadyRedeemedError();
  return new CouponRejectedError(reason);
}

/** The cart is in another currency than the brand's programme (same code as order ingestion). */
export class CouponCurrencyMismatchError extends ValidationError {
  constructor(expected: string, got: string) {
    super(
      `Cart currency ${got} is not the programme currency ${expected}`,
      { fields: { currency: [`must be ${expected}`] }, expected, got },
      RewardsErrorCode.CurrencyMismatch,
    );
  }
}
