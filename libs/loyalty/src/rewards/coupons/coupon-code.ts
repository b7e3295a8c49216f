import { randomInt } from 'node:crypto';

/**
 * Alphabet without look-alikes (0/O, 1/I/L) and without U: 30 symbols. A 10-symbol code has
 * 30^10 ≈ 5.9e14 values, so guessing a live code is hopeless and a collision inside one brand is
 * vanishingly rare (and retried when it happens).
 */
export const COUPON_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const COUPON_CODE_LENGTH = 10;

const COUPON_CODE_PATTERN = new RegExp(`^[${COUPON_ALPHABET}]{${COUPON_CODE_LENGTH}}$`);

/** A new random coupon code (uniform: `randomInt` has no modulo bias). */
export function generateCouponCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < COUPON_CODE_LENGTH; i += 1)
    code += COUPON_ALPHABET[random(COUPON_ALPHABET.length)];
  return code;
}

/** Groups a code for people: `ABCDE-FGHJK`. */
export function formatCouponCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * Normalises what a person typed or a storefront sent (case, spaces and dashes are ignored).
 * Returns null when the result cannot be a coupon code, so no database lookup is spent on it.
 */
export function normalizeCouponCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return COUPON_CODE_PATTERN.test(code) ? code : null;
}
