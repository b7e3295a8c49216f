import {
  E164_PATTERN,
  isProfileComplete,
  isValidBirthday,
  mergeConsents,
  mergeProfile,
  missingProfileFields,
  normalizeEmail,
} from './member-profile';

describe('member profile rules', () => {
  const complete = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    birthday: '1990-12-10',
    profile: { city: 'London', country: 'GB' },
  };

  it('is complete only with names, birthday, city and country', () => {
    expect(isProfileComplete(complete)).toBe(true);
    expect(missingProfileFields(complete)).toEqual([]);
    expect(missingProfileFields({ ...complete, lastName: null, profile: { city: ' ' } })).toEqual([
      'lastName',
      'profile.city',
      'profile.country',
    ]);
    expect(isProfileComplete({ ...complete, birthday: null })).toBe(false);
  });

  it('merges profile patches: values set, null clears, absent keeps', () => {
    const merged = mergeProfile(
      { city: 'Paris', country: 'FR', interests: ['tea'] },
      { city: 'Lyon', country: null, locale: 'fr-FR' },
    );
    expect(merged).toEqual({ city: 'Lyon', interests: ['tea'], locale: 'fr-FR' });
  });

  it('merges consents, ignoring anything that is not a boolean', () => {
    const current = { email: true, sms: false, push: false, personalisation: false };
    expect(mergeConsents(current, { sms: true })).toEqual({ ...current, sms: true });
    expect(mergeConsents(current)).toEqual(current);
  });

  describe('birthday', () => {
    const now = new Date('2026-06-15T12:00:00Z');

    it('accepts real past dates and today', () => {
      expect(isValidBirthday('1990-02-28', now)).toBe(true);
      expect(isValidBirthday('2000-02-29', now)).toBe(true);
      expect(isValidBirthday('2026-06-15', now)).toBe(true);
    });

    it('accepts "tomorrow" only where it is already tomorrow (UTC+14)', () => {
      expect(isValidBirthday('2026-06-16', now)).toBe(true);
      expect(isValidBirthday('2026-06-16', new Date('2026-06-15T09:00:00Z'))).toBe(false);
    });

    it('rejects future, impossible, ancient and malformed dates', () => {
      expect(isValidBirthday('2026-06-17', now)).toBe(false);
      expect(isValidBirthday('2001-02-29', now)).toBe(false);
      expect(isValidBirthday('1990-13-01', now)).toBe(false);
      expect(isValidBirthday('1899-12-31', now)).toBe(false);
      expect(isValidBirthday('1990-1-1', now)).toBe(false);
      expect(isValidBirthday('1990-01-01T00:00:00Z', now)).toBe(false);
    });
  });

  it('normalises emails and recognises E.164 phones', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(E164_PATTERN.test('+447700900123')).toBe(true);
    expect(E164_PATTERN.test('447700900123')).toBe(false);
    expect(E164_PATTERN.test('+0447700900')).toBe(false);
    expect(E164_PATTERN.test('+4477009001234567')).toBe(false);
  });
});
