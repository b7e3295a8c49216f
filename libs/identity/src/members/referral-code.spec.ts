import {
  REFERRAL_ALPHABET,
  REFERRAL_CODE_LENGTH,
  generateReferralCode,
  normalizeReferralCode,
} from './referral-code';

describe('referral codes', () => {
  it('uses an alphabet without look-alike characters', () => {
    for (const ambiguous of ['0', 'O', '1', 'I', 'L', 'U'])
      expect(REFERRAL_ALPHABET).not.toContain(ambiguous);
    expect(new Set(REFERRAL_ALPHABET).size).toBe(REFERRAL_ALPHABET.length);
  });

  it('generates short codes from the alphabet only', () => {
    for (let i = 0; i < 500; i += 1) {
      const code = generateReferralCode();
      expect(code).toHaveLength(REFERRAL_CODE_LENGTH);
      expect([...code].every((c) => REFERRAL_ALPHABET.includes(c))).toBe(true);
    }
  });

  it('draws every symbol from the random source (first and last of the alphabet)', () => {
    expect(generateReferralCode(() => 0)).toBe(REFERRAL_ALPHABET[0].repeat(REFERRAL_CODE_LENGTH));
    expect(generateReferralCode((max) => max - 1)).toBe(
      REFERRAL_ALPHABET[REFERRAL_ALPHABET.length - 1].repeat(REFERRAL_CODE_LENGTH),
    );
  });

  it('does not repeat in practice', () => {
    const codes = new Set(Array.from({ length: 5000 }, () => generateReferralCode()));
    expect(codes.size).toBe(5000);
  });

  it('normalises typed codes and rejects impossible ones', () => {
    expect(normalizeReferralCode('abcd-2345')).toBe('ABCD2345');
    expect(normalizeReferralCode(' ab cd 23 45 ')).toBe('ABCD2345');
    expect(normalizeReferralCode('ABCD234')).toBeNull();
    expect(normalizeReferralCode('ABCD23450')).toBeNull();
    expect(normalizeReferralCode('OBCD2345')).toBeNull();
    expect(normalizeReferralCode('')).toBeNull();
  });
});
