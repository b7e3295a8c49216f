import { MetricsAccumulator, averagePrecisionAt, hitRateAt, ndcgAt, recallAt } from './metrics';

describe('ranking metrics', () => {
  const truth = new Set(['a', 'c']);
  const ranked = ['a', 'b', 'c'];

  it('NDCG@3: hits at ranks 1 and 3 over the ideal of ranks 1 and 2', () => {
    expect(ndcgAt(ranked, truth, 3)).toBeCloseTo((1 + 1 / 2) / (1 + 1 / Math.log2(3)), 10);
    expect(ndcgAt(['a', 'c'], truth, 10)).toBeCloseTo(1, 10);
    expect(ndcgAt(['x', 'y'], truth, 10)).toBe(0);
  });

  it('Recall, HR and AP', () => {
    expect(recallAt(ranked, truth, 2)).toBe(0.5);
    expect(recallAt(ranked, truth, 3)).toBe(1);
    expect(hitRateAt(ranked, truth, 1)).toBe(1);
    expect(hitRateAt(['b', 'a'], truth, 1)).toBe(0);
    // precision at the hits: 1/1 and 2/3, over min(|truth|, k) = 2
    expect(averagePrecisionAt(ranked, truth, 3)).toBeCloseTo((1 + 2 / 3) / 2, 10);
    expect(averagePrecisionAt(['b', 'a'], new Set(['a']), 10)).toBeCloseTo(0.5, 10);
  });

  it('the accumulator averages over users with a truth and measures coverage of top 10', () => {
    const acc = new MetricsAccumulator(4);
    acc.add(['a', 'b'], new Set(['a']));
    acc.add(['c', 'a'], new Set(['d']));
    acc.add(['x'], new Set());
    const r = acc.result();
    expect(r.users).toBe(2);
    expect(r.hr10).toBe(0.5);
    expect(r.ndcg10).toBe(0.5);
    expect(r.coverage).toBe(3 / 4);
  });
});
