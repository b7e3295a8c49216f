import { randomInt } from 'node:crypto';

/**
 * Crockford-style alphabet without look-alikes (0/O, 1/I/L) and without U: 30 symbols, so an
 * 8-character code has 30^8 ≈ 6.6e11 values and a collision inside one brand is vanishingly rare
 * (and retried when it happens).
 */
export const REFERRAL_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERRAL_CODE_LENGTH = 8;

const REFERRAL_CODE_PATTERN = new RegExp(`^[${REFERRAL_ALPHABET}]{${REFERRAL_CODE_LENGTH}}$`);

/** A new random referral code (uniform: `randomInt` has no modulo bias). */
export function generateReferralCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < REFERRAL_CODE_LENGTH; i += 1)
    code += REFERRAL_ALPHABET[random(REFERRAL_ALPHABET.length)];
  return code;
}

/**
 * Normalises what a person typed (case, spaces and dashes are ignored). Returns null when the
 * result cannot be a referral code, so no database lookup is spent on it.
 */
export function normalizeReferralCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return REFERRAL_CODE_PATTERN.test(code) ? code : null;
}
