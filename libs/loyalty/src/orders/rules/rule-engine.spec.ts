import {
  allocateLargestRemainder,
  capReached,
  capWindowStart,
  capWindows,
  evaluatePurchase,
  lineMultiplierBp,
  minorDigits,
  proportionalShare,
  ruleInForce,
} from './rule-engine';

const line = (lineNo: number, paidMinor: number, productId = `P${lineNo}`, category?: string) => ({
  lineNo,
  productId,
  category,
  paidMinor,
});

describe('evaluatePurchase', () => {
  const usd = { currencyDigits: 2 };

  it('defaults to 1 point per major unit, floored once for the whole order', () => {
    const lines = [line(1, 5050), line(2, 1999)];
    const result = evaluatePurchase({}, lines, { ...usd, paidTotalMinor: 7049 });
    expect(result.points).toBe(70);
    expect(result.linePoints.reduce((a, b) => a + b, 0)).toBe(70);
    expect(result.eligibleMinor).toBe(7049);
  });

  it('applies pointsPerUnit, category and product multipliers (product wins) and exclusions', () => {
    const config = {
      pointsPerUnit: 2,
      categoryMultipliers: { shoes: 1.5 },
      productMultipliers: { P2: 3 },
      excludedCategories: ['gift-cards'],
      excludedProducts: ['P4'],
    };
    const lines = [
      line(1, 1000, 'P1', 'shoes'), // 10 × 2 × 1.5 = 30
      line(2, 1000, 'P2', 'shoes'), // 10 × 2 × 3 = 60
      line(3, 5000, 'P3', 'gift-cards'), // excluded
      line(4, 5000, 'P4'), // excluded
      line(5, 250, 'P5'), // 2.5 × 2 = 5
    ];
    const result = evaluatePurchase(config, lines, { ...usd, paidTotalMinor: 12250 });
    expect(result.points).toBe(95);
    expect(result.linePoints).toEqual([30, 60, 0, 0, 5]);
    expect(result.eligibleMinor).toBe(2250);
  });

  it('multiplies by the tier multiplier inside the single floor', () => {
    const result = evaluatePurchase({}, [line(1, 999), line(2, 999)], {
      ...usd,
      paidTotalMinor: 1998,
      tierMultiplierBp: 15_000,
    });
    // 19.98 × 1.5 = 29.97 → 29 (per-line flooring would give 2 × floor(14.985) = 28)
    expect(result.points).toBe(29);
    expect(result.linePoints).toEqual([15, 14]);
  });

  it('respects the minimum order and zero-decimal currencies', () => {
    expect(
      evaluatePurchase({ minOrderMinor: 5000 }, [line(1, 4999)], { ...usd, paidTotalMinor: 4999 }),
    ).toMatchObject({ points: 0, skipped: 'below_minimum', linePoints: [0] });
    expect(
      evaluatePurchase({}, [line(1, 1234)], {
        currencyDigits: minorDigits('JPY'),
        paidTotalMinor: 1234,
      }).points,
    ).toBe(1234);
    expect(
      evaluatePurchase({ excludedProducts: ['P1'] }, [line(1, 100)], {
        ...usd,
        paidTotalMinor: 100,
      }),
    ).toMatchObject({ points: 0, skipped: 'nothing_eligible' });
  });

  it('knows minor digits and line multipliers', () => {
    expect([minorDigits('USD'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([2, 0, 3]);
    expect(lineMultiplierBp({ categoryMultipliers: { a: 0.5 } }, line(1, 1, 'x', 'a'))).toBe(5000n);
  });
});

describe('allocateLargestRemainder', () => {
  it('sums to the total and follows the weights', () => {
    expect(allocateLargestRemainder(10, [1n, 1n, 1n])).toEqual([4, 3, 3]);
    expect(allocateLargestRemainder(7, [0n, 5n, 5n])).toEqual([0, 4, 3]);
    expect(allocateLargestRemainder(0, [1n, 2n])).toEqual([0, 0]);
    expect(allocateLargestRemainder(5, [0n, 0n])).toEqual([0, 0]);
  });

  it('is exact for random inputs', () => {
    for (let i = 0; i < 500; i += 1) {
      const weights = Array.from({ length: 1 + (i % 7) }, (_, j) =>
        BigInt((i * 37 + j * 101) % 997),
      );
      const total = (i * 13) % 400;
      const out = allocateLargestRemainder(total, weights);
      const sum = weights.reduce((a, b) => a + b, 0n);
      expect(out.reduce((a, b) => a + b, 0)).toBe(sum === 0n ? 0 : total);
      out.forEach((p, j) => {
        expect(p).toBeGreaterThanOrEqual(0);
        if (weights[j] === 0n) expect(p).toBe(0);
        if (sum > 0n)
          expect(Math.abs(p - Number((weights[j] * BigInt(total)) / sum))).toBeLessThanOrEqual(1);
      });
    }
  });
});

describe('proportionalShare', () => {
  it('is floored per step and exact when the line is fully refunded', () => {
    expect(proportionalShare(10, 3, 0, 1)).toBe(3);
    expect(proportionalShare(10, 3, 1, 2)).toBe(3);
    expect(proportionalShare(10, 3, 2, 3)).toBe(4);
    expect(proportionalShare(10, 3, 0, 3)).toBe(10);
    let total = 0;
    for (let q = 0; q < 7; q += 1) total += proportionalShare(101, 7, q, q + 1);
    expect(total).toBe(101);
  });
});

describe('caps', () => {
  const at = new Date('2026-11-25T15:30:00Z'); // a Wednesday

  it('windows start at the UTC day, ISO week (Monday) and month', () => {
    expect(capWindowStart('perDay', at)?.toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(capWindowStart('perWeek', at)?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(capWindowStart('perWeek', new Date('2026-11-29T23:59:59Z'))?.toISOString()).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    expect(capWindowStart('perMonth', at)?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(capWindowStart('lifetime', at)).toBeNull();
  });

  it('reports the first cap reached', () => {
    const windows = capWindows({ perDay: 1, lifetime: 3 }, at);
    expect(windows.map((w) => w.period)).toEqual(['perDay', 'lifetime']);
    expect(capReached(windows, [0, 2])).toBeNull();
    expect(capReached(windows, [1, 2])).toBe('perDay');
    expect(capReached(windows, [0, 3])).toBe('lifetime');
    expect(capReached(capWindows({}, at), [])).toBeNull();
    expect(capReached(capWindows({ perMonth: 0 }, at), [0])).toBe('perMonth');
  });

  it('rules are in force only when active and within their window', () => {
    const rule = {
      active: true,
      validFrom: new Date('2026-01-01Z'),
      validTo: new Date('2027-01-01Z'),
    };
    expect(ruleInForce(rule, at)).toBe(true);
    expect(ruleInForce({ ...rule, active: false }, at)).toBe(false);
    expect(ruleInForce(rule, new Date('2027-01-01Z'))).toBe(false);
    expect(ruleInForce(rule, new Date('2025-12-31Z'))).toBe(false);
  });
});
