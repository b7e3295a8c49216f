import {
  type CouponState,
  type TemplateState,
  computeDiscount,
  couponExpiry,
  evaluateCoupon,
} from './coupon-rules';

const NOW = new Date('2026-06-15T12:00:00Z');
const MEMBER = '7f1c1f0e-2a5b-4c61-9a0e-3f2d8f7b9c10';

const template = (over: Partial<TemplateState> = {}): TemplateState => ({
  kind: 'amount_off',
  value: 500,
  freeProductId: null,
  active: true,
  minSpendMinor: 0,
  validFrom: null,
  validTo: null,
  budgetMinor: null,
  spentMinor: 0,
  ...over,
});
const coupon = (over: Partial<CouponState> = {}): CouponState => ({
  status: 'issued',
  memberId: null,
  expiresAt: null,
  ...over,
});

describe('computeDiscount', () => {
  it('amount_off is capped at the subtotal', () => {
    expect(computeDiscount(template({ value: 500 }), 2000)).toBe(500);
    expect(computeDiscount(template({ value: 500 }), 300)).toBe(300);
    expect(computeDiscount(template({ value: 500 }), 0)).toBe(0);
  });

  it('percent_off rounds down and never passes 100 %', () => {
    const pct = (bp: number) => template({ kind: 'percent_off', value: bp });
    expect(computeDiscount(pct(1000), 999)).toBe(99); // 99.9 → 99
    expect(computeDiscount(pct(1500), 1)).toBe(0); // 0.15 → 0
    expect(computeDiscount(pct(3333), 300)).toBe(99); // 99.99 → 99
    expect(computeDiscount(pct(10_000), 1234)).toBe(1234);
    expect(computeDiscount(pct(20_000), 1234)).toBe(1234);
    expect(computeDiscount(pct(2500), 9_007_199_254_740_000)).toBe(2_251_799_813_685_000);
  });

  it('free_item is the unit price of the free product when the order has it, else 0', () => {
    const free = template({ kind: 'free_item', value: 0, freeProductId: 'sku-1' });
    const lines = [
      { productId: 'sku-2', quantity: 1, unitPriceMinor: 900 },
      { productId: 'sku-1', quantity: 3, unitPriceMinor: 450 },
    ];
    expect(computeDiscount(free, 2250, lines)).toBe(450);
    expect(computeDiscount(free, 2250, [lines[0]])).toBe(0);
    expect(computeDiscount(free, 2250)).toBe(0);
    expect(computeDiscount(free, 100, lines)).toBe(100);
  });
});

describe('evaluateCoupon', () => {
  const input = { orderSubtotalMinor: 2000 };

  it('accepts a usable coupon with its discount', () => {
    expect(evaluateCoupon(coupon(), template(), input, NOW)).toEqual({
      valid: true,
      discountMinor: 500,
    });
    expect(
      evaluateCoupon(coupon({ memberId: MEMBER }), template(), { ...input, memberId: MEMBER }, NOW),
    ).toEqual({ valid: true, discountMinor: 500 });
  });

  it.each<[string, Partial<CouponState>, Partial<TemplateState>, Record<string, unknown>]>([
    [
      'wrong_member',
      { memberId: MEMBER },
      {},
      { memberId: '00000000-0000-4000-8000-000000000000' },
    ],
    ['wrong_member', { memberId: MEMBER }, {}, {}],
    ['already_redeemed', { status: 'redeemed' }, {}, {}],
    ['inactive', { status: 'void' }, {}, {}],
    ['inactive', {}, { active: false }, {}],
    ['expired', { status: 'expired' }, {}, {}],
    ['expired', { expiresAt: NOW }, {}, {}],
    ['expired', {}, { validTo: new Date(NOW.getTime() - 1) }, {}],
    ['not_yet_valid', {}, { validFrom: new Date(NOW.getTime() + 1) }, {}],
    ['min_spend_not_met', {}, { minSpendMinor: 2001 }, {}],
    ['budget_exhausted', {}, { budgetMinor: 1000, spentMinor: 501 }, {}],
  ])('rejects with %s', (reason, c, t, extra) => {
    expect(evaluateCoupon(coupon(c), template(t), { ...input, ...extra }, NOW)).toEqual({
      valid: false,
      reason,
      discountMinor: 0,
    });
  });

  it('accepts exactly at the limits', () => {
    const t = template({
      minSpendMinor: 2000,
      budgetMinor: 1000,
      spentMinor: 500,
      validFrom: NOW,
      validTo: new Date(NOW.getTime() + 1),
    });
    expect(
      evaluateCoupon(coupon({ expiresAt: new Date(NOW.getTime() + 1) }), t, input, NOW),
    ).toEqual({ valid: true, discountMinor: 500 });
  });

  it('a redeemed coupon of someone else reports wrong_member first (no leak of its state)', () => {
    expect(
      evaluateCoupon(coupon({ memberId: MEMBER, status: 'redeemed' }), template(), input, NOW),
    ).toMatchObject({ reason: 'wrong_member' });
  });
});

describe('couponExpiry', () => {
  const issued = new Date('2026-01-01T00:00:00Z');
  it('is validDays after issue, capped by the template end', () => {
    expect(couponExpiry({ validDays: 30, validTo: null }, issued)).toEqual(
      new Date('2026-01-31T00:00:00Z'),
    );
    expect(
      couponExpiry({ validDays: 30, validTo: new Date('2026-01-10T00:00:00Z') }, issued),
    ).toEqual(new Date('2026-01-10T00:00:00Z'));
    expect(
      couponExpiry({ validDays: null, validTo: new Date('2026-03-01T00:00:00Z') }, issued),
    ).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(couponExpiry({ validDays: null, validTo: null }, issued)).toBeNull();
  });
});
