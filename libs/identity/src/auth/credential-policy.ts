import { ValidationError } from '@app/common';

/** NIST 800-63B: at least 8 characters; an upper bound keeps request bodies and hashing bounded. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** A pragmatic shape check (the DTOs use class-validator's stricter IsEmail on HTTP input). */
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

export function assertPasswordPolicy(password: string, field = 'password'): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw new ValidationError('Password does not meet the policy', {
      fields: {
        [field]: [`must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`],
      },
    });
  }
}

export function assertEmailShape(email: string, field = 'email'): void {
  if (email.length > 254 || !EMAIL_SHAPE.test(email)) {
    throw new ValidationError('Invalid email address', {
      fields: { [field]: ['must be an email'] },
    });
  }
}
