import {
  COUPON_ALPHABET,
  COUPON_CODE_LENGTH,
  formatCouponCode,
  generateCouponCode,
  normalizeCouponCode,
} from './coupon-code';

describe('coupon codes', () => {
  it('are 10+ symbols of an alphabet without look-alikes', () => {
    expect(COUPON_CODE_LENGTH).toBeGreaterThanOrEqual(10);
    for (const ambiguous of ['0', 'O', '1', 'I', 'L', 'U'])
      expect(COUPON_ALPHABET).not.toContain(ambiguous);
    for (let i = 0; i < 200; i += 1) {
      const code = generateCouponCode();
      expect(code).toMatch(new RegExp(`^[${COUPON_ALPHABET}]{${COUPON_CODE_LENGTH}}$`));
    }
  });

  it('uses every symbol of the alphabet through the random source', () => {
    let i = 0;
    const code = generateCouponCode((max) => {
      expect(max).toBe(COUPON_ALPHABET.length);
      return (i += 3) % max;
    });
    expect(code).toBe('58BEHMQTX2');
  });

  it('rarely repeats (no collisions in 20,000 draws)', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 20_000; n += 1) seen.add(generateCouponCode());
    expect(seen.size).toBe(20_000);
  });

  it('normalises case, spaces and dashes and formats in two groups', () => {
    const code = generateCouponCode();
    expect(normalizeCouponCode(formatCouponCode(code).toLowerCase())).toBe(code);
    expect(normalizeCouponCode(` ${code.slice(0, 3)} ${code.slice(3)} `)).toBe(code);
    expect(formatCouponCode('ABCDEFGHJK')).toBe('ABCDE-FGHJK');
  });

  it.each(['', 'ABC', 'ABCDEFGHJ0', 'ABCDEFGHJKM', "' or 1=1 --", 'ABCDEFGHJI'])(
    'rejects %p',
    (input) => expect(normalizeCouponCode(input)).toBeNull(),
  );
});
