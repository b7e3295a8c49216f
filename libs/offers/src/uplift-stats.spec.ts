import { meanDifference, normalCdf, twoProportion } from './uplift-stats';

describe('uplift statistics', () => {
  it('normal CDF matches known quantiles', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });

  it('two-proportion test: textbook example', () => {
    // 120/1000 vs 90/1000: diff 0.03, pooled z ≈ 2.19, p ≈ 0.029.
    const t = twoProportion(120, 1000, 90, 1000)!;
    expect(t.estimate).toBeCloseTo(0.03, 10);
    expect(t.z).toBeCloseTo(2.19, 2);
    expect(t.pValue).toBeCloseTo(0.0286, 3);
    expect(t.low).toBeGreaterThan(0);
    expect(twoProportion(1, 0, 1, 10)).toBeNull();
  });

  it('mean difference interval from moments', () => {
    const t = { n: 4, sum: 10, sumSquares: 30 }; // 1,2,3,4 → mean 2.5, var 1.667
    const h = { n: 4, sum: 6, sumSquares: 14 }; // 0,1,2,3 → mean 1.5, var 1.667
    const d = meanDifference(t, h)!;
    expect(d.estimate).toBeCloseTo(1, 10);
    expect(d.high - d.estimate).toBeCloseTo(1.959964 * Math.sqrt(1.6667 / 2), 3);
  });
});
