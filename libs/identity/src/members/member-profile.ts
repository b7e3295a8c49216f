import type { MemberConsents, MemberProfile } from '@app/db';

/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

export const DEFAULT_CONSENTS: MemberConsents = {
  email: false,
  sms: false,
  push: false,
  personalisation: false,
};

/** Emails are compared case-insensitively and stored lower-cased, trimmed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface ProfileFacts {
  firstName: string | null;
  lastName: string | null;
  birthday: string | null;
  profile: MemberProfile;
}

/** What "profile complete" means (it earns the profile-completion bonus in loyalty). */
export const REQUIRED_PROFILE_FIELDS = [
  'firstName',
  'lastName',
  'birthday',
  'profile.city',
  'profile.country',
] as const;

const present = (value: string | null | undefined) =>
  typeof value === 'string' && value.trim().length > 0;

export function missingProfileFields(member: ProfileFacts): string[] {
  const values: Record<(typeof REQUIRED_PROFILE_FIELDS)[number], string | null | undefined> = {
    firstName: member.firstName,
    lastName: member.lastName,
    birthday: member.birthday,
    'profile.city': member.profile.city,
    'profile.country': member.profile.country,
  };
  return REQUIRED_PROFILE_FIELDS.filter((field) => !present(values[field]));
}

export function isProfileComplete(member: ProfileFacts): boolean {
  return missingProfileFields(member).length === 0;
}

/** A partial profile update: a value sets the field, `null` clears it, absent leaves it. */
export type MemberProfilePatch = { [K in keyof MemberProfile]?: MemberProfile[K] | null };

export function mergeProfile(current: MemberProfile, patch: MemberProfilePatch): MemberProfile {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

export function mergeConsents(
  current: MemberConsents,
  patch: Partial<MemberConsents> = {},
): MemberConsents {
  const next = { ...DEFAULT_CONSENTS, ...current };
  for (const key of Object.keys(DEFAULT_CONSENTS) as (keyof MemberConsents)[]) {
    const value = patch[key];
    if (typeof value === 'boolean') next[key] = value;
  }
  return next;
}

export const EARLIEST_BIRTHDAY = '1900-01-01';
/** UTC+14 is the furthest-ahead time zone: a birthday "today" there is not in the future. */
const LATEST_OFFSET_MS = 14 * 3600 * 1000;

/** A real calendar date `YYYY-MM-DD`, not before 1900 and not in the future anywhere on Earth. */
export function isValidBirthday(value: string, now: Date = new Date()): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) return false;
  const latest = new Date(now.getTime() + LATEST_OFFSET_MS).toISOString().slice(0, 10);
  return value >= EARLIEST_BIRTHDAY && value <= latest;
}
