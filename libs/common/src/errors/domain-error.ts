/**
 * What kind of failure a domain error is. Each app's exception filter maps a kind to an HTTP
 * status, so services never speak HTTP and every code has exactly one status.
 */
export enum ErrorKind {
  Invalid = 'invalid',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  PreconditionFailed = 'precondition_failed',
  RateLimited = 'rate_limited',
  PayloadTooLarge = 'payload_too_large',
  Unavailable = 'unavailable',
  Internal = 'internal',
}

/** Codes shared by every context; contexts add their own enums (e.g. IdentityErrorCode). */
export enum CommonErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedBody = 'malformed_body',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  NotFound = 'not_found',
  RouteNotFound = 'route_not_found',
  MethodNotAllowed = 'method_not_allowed',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  RateLimited = 'rate_limited',
  IdempotencyConflict = 'idempotency_conflict',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The resource does not exist *for this tenant*: also used for other brands' resources (no leak). */
export class NotFoundError extends DomainError {
  constructor(resource: string, code: string = CommonErrorCode.NotFound) {
    super(code, ErrorKind.NotFound, `${resource} not found`);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required', code: string = CommonErrorCode.Unauthenticated) {
    super(code, ErrorKind.Unauthenticated, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Not allowed', code: string = CommonErrorCode.Forbidden) {
    super(code, ErrorKind.Forbidden, message);
  }
}

export class ValidationError extends DomainError {
  constructor(
    message: string,
    details?: Record<string, unknown>,
    code: string = CommonErrorCode.ValidationFailed,
  ) {
    super(code, ErrorKind.Invalid, message, details);
  }
}
