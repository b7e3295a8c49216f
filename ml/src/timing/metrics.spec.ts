import { auc, brier, pearson, reliabilityCurve } from './metrics';

describe('forecast metrics', () => {
  it('AUC is 1 for a perfect ranking, 0.5 for ties and counts ties as half', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('Brier, correlation and the reliability curve', () => {
    expect(brier([1, 0, 0.5], [1, 0, 1])).toBeCloseTo(0.25 / 3, 12);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    const curve = reliabilityCurve([0.05, 0.05, 0.95, 0.95], [0, 1, 1, 1], 10);
    expect(curve).toEqual([
      { from: 0, to: 0.1, count: 2, meanPredicted: 0.05, observedRate: 0.5 },
      { from: 0.9, to: 1, count: 2, meanPredicted: 0.95, observedRate: 1 },
    ]);
  });
});
