import { HypergeometricError, hyp2f1, logAddExp, logGamma } from './special';

describe('special functions', () => {
  it('ln Γ matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    // ln 170! (Stirling would be off in the 4th decimal without the series terms)
    expect(logGamma(171)).toBeCloseTo(706.5730622457874, 8);
    expect(logGamma(1e-8)).toBeCloseTo(18.420680738180209, 8);
  });

  it('₂F₁ matches closed forms', () => {
    // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z
    for (const z of [0.1, 0.5, 0.9, 0.99])
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
    // ₂F₁(a, b; b; z) = (1 − z)^−a
    expect(hyp2f1(0.7, 2.5, 2.5, 0.6)).toBeCloseTo(Math.pow(0.4, -0.7), 12);
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(HypergeometricError);
  });

  it('log-add-exp does not overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-Infinity, 3)).toBe(3);
  });
});
