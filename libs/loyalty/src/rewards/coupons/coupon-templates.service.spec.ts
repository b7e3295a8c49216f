import { couponTemplateProblems } from './coupon-templates.service';

const base = {
  kind: 'amount_off' as const,
  value: 500,
  freeProductId: null,
  validFrom: null,
  validTo: null,
  budgetMinor: null,
  spentMinor: 0,
  maxIssued: null,
  issuedCount: 0,
};

describe('couponTemplateProblems', () => {
  it('accepts well-formed templates of each kind', () => {
    expect(couponTemplateProblems(base)).toEqual({});
    expect(couponTemplateProblems({ ...base, kind: 'percent_off', value: 10_000 })).toEqual({});
    expect(
      couponTemplateProblems({ ...base, kind: 'free_item', value: 0, freeProductId: 'sku' }),
    ).toEqual({});
  });

  it.each([
    [{ value: 0 }, 'value'],
    [{ kind: 'percent_off' as const, value: 10_001 }, 'value'],
    [{ kind: 'percent_off' as const, value: 0 }, 'value'],
    [{ kind: 'free_item' as const, value: 0 }, 'freeProductId'],
    [{ freeProductId: 'sku' }, 'freeProductId'],
    [{ validFrom: new Date('2026-02-01'), validTo: new Date('2026-01-01') }, 'validTo'],
    [{ validFrom: new Date('2026-01-01'), validTo: new Date('2026-01-01') }, 'validTo'],
    [{ budgetMinor: 100, spentMinor: 101 }, 'budgetMinor'],
    [{ maxIssued: 4, issuedCount: 5 }, 'maxIssued'],
  ])('flags %p on %s', (change, field) => {
    expect(Object.keys(couponTemplateProblems({ ...base, ...change }))).toEqual([field]);
  });
});
