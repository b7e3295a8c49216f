import {
  DomainError,
  ErrorKind,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '@app/common';

/** Stable error codes of drops, reservations and raffles (clients switch on these). */
export enum DropsErrorCode {
  DropNotFound = 'drops.drop_not_found',
  InvalidTransition = 'drops.invalid_transition',
  NotEditable = 'drops.not_editable',
  ConcurrentChange = 'drops.concurrent_change',
  NotOnSale = 'drops.not_on_sale',
  EarlyAccessTierRequired = 'drops.early_access_tier_required',
  SkuNotFound = 'drops.sku_not_found',
  SoldOut = 'drops.sold_out',
  MemberLimitReached = 'drops.member_limit_reached',
  HoldExists = 'drops.active_hold_exists',
  ReservationNotFound = 'drops.reservation_not_found',
  ReservationNotHeld = 'drops.reservation_not_held',
  IdempotencyConflict = 'drops.idempotency_conflict',
  RateLimited = 'drops.reservation_rate_limited',
  StockUnavailable = 'drops.stock_unavailable',
  RaffleMode = 'drops.raffle_mode',
  NotRaffle = 'drops.not_a_raffle',
  RaffleClosed = 'drops.raffle_closed',
  RaffleAlreadyEntered = 'drops.raffle_already_entered',
  ReportNotReady = 'drops.report_not_ready',
  NotEndable = 'drops.not_endable',
}

export class DropNotFoundError extends NotFoundError {
  constructor() {
    super('Drop', DropsErrorCode.DropNotFound);
  }
}

export class InvalidDropTransitionError extends DomainError {
  constructor(from: string, to: string) {
    super(
      DropsErrorCode.InvalidTransition,
      ErrorKind.Conflict,
      `A drop cannot go from ${from} to ${to}`,
      { from, to },
    );
  }
}

export class DropNotEditableError extends DomainError {
  constructor(status: string) {
    super(DropsErrorCode.NotEditable, ErrorKind.Conflict, 'Only draft drops can be changed', {
      status,
    });
  }
}

/** Another transition committed first (optimistic check on drops.version). */
export class DropConcurrentChangeError extends DomainError {
  constructor() {
    super(
      DropsErrorCode.ConcurrentChange,
      ErrorKind.Conflict,
      'The drop changed meanwhile; reload and retry',
    );
  }
}

export class DropNotOnSaleError extends DomainError {
  constructor(status: string) {
    super(DropsErrorCode.NotOnSale, ErrorKind.Conflict, `This drop is not on sale (${status})`, {
      status,
    });
  }
}

export class EarlyAccessTierRequiredError extends ForbiddenError {
  constructor() {
    super(
      'Early access is reserved to the drop’s listed tiers; the public sale has not started',
      DropsErrorCode.EarlyAccessTierRequired,
    );
  }
}

export class DropSkuNotFoundError extends NotFoundError {
  constructor() {
    super('SKU', DropsErrorCode.SkuNotFound);
  }
}

export class DropSoldOutError extends DomainError {
  constructor(available: number) {
    super(DropsErrorCode.SoldOut, ErrorKind.Conflict, 'Not enough stock left for this quantity', {
      available,
    });
  }
}

export class MemberLimitReachedError extends DomainError {
  constructor(remaining: number) {
    super(
      DropsErrorCode.MemberLimitReached,
      ErrorKind.Conflict,
      'This quantity would take you above the per-member limit of this SKU',
      { remaining: Math.max(0, remaining) },
    );
  }
}

export class ActiveHoldExistsError extends DomainError {
  constructor(reservationId: string | null) {
    super(
      DropsErrorCode.HoldExists,
      ErrorKind.Conflict,
      'You already hold this SKU: confirm or cancel that reservation first',
      reservationId ? { reservationId } : undefined,
    );
  }
}

export class ReservationNotFoundError extends NotFoundError {
  constructor() {
    super('Reservation', DropsErrorCode.ReservationNotFound);
  }
}

export class ReservationNotHeldError extends DomainError {
  constructor(status: string) {
    super(
      DropsErrorCode.ReservationNotHeld,
      ErrorKind.Conflict,
      `This reservation is no longer held (${status})`,
      { status },
    );
  }
}

export class DropIdempotencyConflictError extends DomainError {
  constructor() {
    super(
      DropsErrorCode.IdempotencyConflict,
      ErrorKind.Conflict,
      'This idempotency key was already used for a different reservation request',
    );
  }
}

export class ReservationRateLimitedError extends DomainError {
  constructor(scope: 'member' | 'ip', retryAfterSeconds: number) {
    super(
      DropsErrorCode.RateLimited,
      ErrorKind.RateLimited,
      'Too many reservation attempts; slow down',
      { scope, retryAfterSeconds },
    );
  }
}

/** The Redis stock is being rebuilt from Postgres (a few ms); the client retries. */
export class StockUnavailableError extends DomainError {
  constructor() {
    super(
      DropsErrorCode.StockUnavailable,
      ErrorKind.Unavailable,
      'Stock is being reconciled; retry in a moment',
      { retryAfterSeconds: 1 },
    );
  }
}

export class RaffleModeError extends DomainError {
  constructor() {
    super(
      DropsErrorCode.RaffleMode,
      ErrorKind.Conflict,
      'This drop sells by raffle: enter the raffle instead',
    );
  }
}

export class NotARaffleError extends DomainError {
  constructor() {
    super(DropsErrorCode.NotRaffle, ErrorKind.Conflict, 'This drop is not a raffle');
  }
}

export class RaffleClosedError extends DomainError {
  constructor() {
    super(DropsErrorCode.RaffleClosed, ErrorKind.Conflict, 'The raffle entry window is not open');
  }
}

export class RaffleAlreadyEnteredError extends DomainError {
  constructor() {
    super(
      DropsErrorCode.RaffleAlreadyEntered,
      ErrorKind.Conflict,
      'You already entered this raffle for this SKU',
    );
  }
}

export class DropReportNotReadyError extends DomainError {
  constructor(status: string) {
    super(
      DropsErrorCode.ReportNotReady,
      ErrorKind.Conflict,
      'The report is written when the drop ends',
      { status },
    );
  }
}

/** "End now" on a drop that never opened or was cancelled. */
export class DropNotEndableError extends DomainError {
  constructor(status: string) {
    super(
      DropsErrorCode.NotEndable,
      ErrorKind.Conflict,
      status === 'cancelled'
        ? 'A cancelled drop cannot be ended'
        : `Only a drop that has opened can be ended now (it is ${status}); cancel it instead`,
      { status },
    );
  }
}

export function invalidDrop(fields: Record<string, string[]>): ValidationError {
  return new ValidationError('Invalid drop', { fields });
}
