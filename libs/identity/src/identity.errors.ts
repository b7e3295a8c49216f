import {
  CommonErrorCode,
  DomainError,
  ErrorKind,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '@app/common';

/** Stable error codes of the identity context (clients switch on these, never on messages). */
export enum IdentityErrorCode {
  BrandNotFound = 'brand_not_found',
  BrandSlugTaken = 'brand_slug_taken',
  MemberNotFound = 'member_not_found',
  MemberEmailTaken = 'member_email_taken',
  MemberPhoneTaken = 'member_phone_taken',
  MemberContactRequired = 'member_contact_required',
  UnknownReferralCode = 'unknown_referral_code',
  StaffNotFound = 'staff_not_found',
  StaffEmailTaken = 'staff_email_taken',
  CannotDisableSelf = 'staff_cannot_disable_self',
  ApiKeyNotFound = 'api_key_not_found',
  InvalidCredentials = 'invalid_credentials',
  InvalidToken = 'invalid_token',
  TokenExpired = 'token_expired',
  RefreshTokenReused = 'refresh_token_reused',
  AccountDisabled = 'account_disabled',
  InvalidApiKey = 'invalid_api_key',
  ApiKeyRevoked = 'api_key_revoked',
  InvalidOperatorToken = 'invalid_operator_token',
  PrincipalNotAllowed = 'principal_not_allowed',
  InsufficientRole = 'insufficient_role',
}

export class BrandNotFoundError extends NotFoundError {
  constructor() {
    super('Brand', IdentityErrorCode.BrandNotFound);
  }
}

export class MemberNotFoundError extends NotFoundError {
  constructor() {
    super('Member', IdentityErrorCode.MemberNotFound);
  }
}

export class StaffNotFoundError extends NotFoundError {
  constructor() {
    super('Staff user', IdentityErrorCode.StaffNotFound);
  }
}

export class ApiKeyNotFoundError extends NotFoundError {
  constructor() {
    super('API key', IdentityErrorCode.ApiKeyNotFound);
  }
}

export class BrandSlugTakenError extends DomainError {
  constructor(slug: string) {
    super(
      IdentityErrorCode.BrandSlugTaken,
      ErrorKind.Conflict,
      `Brand slug "${slug}" is already taken`,
      {
        slug,
      },
    );
  }
}

export class MemberContactTakenError extends DomainError {
  constructor(field: 'email' | 'phone') {
    super(
      field === 'email' ? IdentityErrorCode.MemberEmailTaken : IdentityErrorCode.MemberPhoneTaken,
      ErrorKind.Conflict,
      `A member with this ${field} already exists`,
      { field },
    );
  }
}

export class StaffEmailTakenError extends DomainError {
  constructor() {
    super(
      IdentityErrorCode.StaffEmailTaken,
      ErrorKind.Conflict,
      'A staff user with this email already exists',
      { field: 'email' },
    );
  }
}

export class CannotDisableSelfError extends DomainError {
  constructor() {
    super(
      IdentityErrorCode.CannotDisableSelf,
      ErrorKind.Conflict,
      'Staff users cannot disable themselves',
    );
  }
}

export class MemberContactRequiredError extends ValidationError {
  constructor() {
    super(
      'An email or a phone number is required',
      { fields: { email: ['email or phone is required'], phone: ['email or phone is required'] } },
      IdentityErrorCode.MemberContactRequired,
    );
  }
}

export class UnknownReferralCodeError extends ValidationError {
  constructor() {
    super(
      'Referral code does not match any member of this brand',
      { fields: { referralCode: ['is not a referral code of this brand'] } },
      IdentityErrorCode.UnknownReferralCode,
    );
  }
}

/** One message for every login failure so responses never reveal which accounts exist. */
export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('Invalid credentials', IdentityErrorCode.InvalidCredentials);
  }
}

export class AuthenticationRequiredError extends UnauthenticatedError {
  constructor() {
    super('Authentication required', CommonErrorCode.Unauthenticated);
  }
}

export class InvalidTokenError extends UnauthenticatedError {
  constructor(message = 'Invalid token') {
    super(message, IdentityErrorCode.InvalidToken);
  }
}

export class TokenExpiredError extends UnauthenticatedError {
  constructor() {
    super('Token has expired', IdentityErrorCode.TokenExpired);
  }
}

export class RefreshTokenReusedError extends UnauthenticatedError {
  constructor() {
    super(
      'Refresh token was already used; every session of this login has been revoked',
      IdentityErrorCode.RefreshTokenReused,
    );
  }
}

export class AccountDisabledError extends UnauthenticatedError {
  constructor() {
    super('Account is disabled', IdentityErrorCode.AccountDisabled);
  }
}

export class InvalidApiKeyError extends UnauthenticatedError {
  constructor() {
    super('Invalid API key', IdentityErrorCode.InvalidApiKey);
  }
}

export class ApiKeyRevokedError extends UnauthenticatedError {
  constructor() {
    super('API key has been revoked', IdentityErrorCode.ApiKeyRevoked);
  }
}

export class InvalidOperatorTokenError extends UnauthenticatedError {
  constructor() {
    super('Operator token missing or invalid', IdentityErrorCode.InvalidOperatorToken);
  }
}

export class PrincipalNotAllowedError extends ForbiddenError {
  constructor(type: string) {
    super(
      `This route is not available to ${type} credentials`,
      IdentityErrorCode.PrincipalNotAllowed,
    );
  }
}

export class InsufficientRoleError extends ForbiddenError {
  constructor() {
    super('Your staff role does not allow this action', IdentityErrorCode.InsufficientRole);
  }
}
