import { notWorse } from './recommender-training.service';

describe('hot-swap rule', () => {
  it('promotes the first model and any candidate whose validation NDCG@10 is not lower', () => {
    expect(notWorse({ ndcg10: 0.01 }, null)).toBe(true);
    expect(notWorse({ ndcg10: 0.07 }, { ndcg10: 0.07 })).toBe(true);
    expect(notWorse({ ndcg10: 0.08 }, { ndcg10: 0.07 })).toBe(true);
    expect(notWorse({ ndcg10: 0.069 }, { ndcg10: 0.07 })).toBe(false);
    expect(notWorse({}, { ndcg10: 0.07 })).toBe(false);
  });
});
