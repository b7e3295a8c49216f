import { aggregateInteractions, decayFactor } from './interactions';
import {
  DEFAULT_RECOMMENDER_PARAMS,
  deserializeModel,
  serializeModel,
  trainRecommender,
} from './model';
import { recommend, similarItems } from './scoring';
import { historyOf } from './evaluation';
import { topK } from './top-k';

const DAY = 86_400_000;
const kernels = { gram: 'typed', score: 'typed' } as const;

describe('interactions, model and serving', () => {
  it('aggregates repeats with recency decay and purchase counts', () => {
    expect(decayFactor(30 * DAY, 30)).toBeCloseTo(0.5, 10);
    const m = aggregateInteractions(
      [
        { user: 'u', item: 'milk', at: 0, weight: 1 },
        { user: 'u', item: 'milk', at: 30 * DAY, weight: 1 },
        { user: 'u', item: 'milk', at: 30 * DAY, weight: 0.3 },
      ],
      { halfLifeDays: 30 },
    );
    expect(m.values[0]).toBeCloseTo(0.5 + 1 + 0.3, 5);
    expect(m.counts[0]).toBe(2);
    expect(m.lastAt[0] - m.firstAt[0]).toBe(30 * DAY);
  });

  it('top-k applies the filter before truncating', () => {
    expect(topK([5, 9, 1, 7, 3], 2)).toEqual([1, 3]);
    expect(topK([5, 9, 1, 7, 3], 2, (i) => i === 1)).toEqual([3, 0]);
  });

  it('serialises and restores a model; recommendations carry reasons and respect filters', () => {
    const events = [];
    for (let u = 0; u < 8; u++) {
      const group = u < 4 ? ['tea', 'biscuits', 'milk'] : ['coffee', 'sugar', 'cream'];
      for (let w = 0; w < 4; w++)
        for (const item of group) events.push({ user: `u${u}`, item, at: w * 14 * DAY, weight: 1 });
    }
    const categories = new Map([
      ['tea', 'drinks'],
      ['coffee', 'drinks'],
      ['biscuits', 'bakery'],
      ['milk', 'dairy'],
      ['sugar', 'baking'],
      ['cream', 'dairy'],
    ]);
    const params = {
      ...DEFAULT_RECOMMENDER_PARAMS,
      ials: { ...DEFAULT_RECOMMENDER_PARAMS.ials, factors: 4 },
    };
    const trained = trainRecommender(events, categories, params, kernels);
    const model = deserializeModel(serializeModel(trained.model), kernels);
    expect(model.items).toEqual(trained.model.items);
    expect(Array.from(model.itemFactors)).toEqual(Array.from(trained.model.itemFactors));

    const history = historyOf(trained.matrix, trained.matrix.userIndex.get('u0')!);
    const vector = trained.userFactors.slice(0, 4);
    const all = recommend(model, history, vector, { limit: 6 });
    expect(
      all
        .slice(0, 3)
        .map((r) => r.item)
        .sort(),
    ).toEqual(['biscuits', 'milk', 'tea']);
    expect(all[0].reason).toEqual({ kind: 'buy_again', everyWeeks: 2 });

    const fresh = recommend(model, history, vector, { limit: 3, excludePurchased: true });
    expect(fresh.map((r) => r.item)).not.toContain('tea');
    expect(fresh).toHaveLength(3);

    const dairy = recommend(model, history, vector, { limit: 5, category: 'dairy' });
    expect(dairy.map((r) => r.item).sort()).toEqual(['cream', 'milk']);

    const cold = recommend(
      model,
      { items: [], values: [], counts: [], firstAt: [], lastAt: [] },
      null,
      { limit: 2 },
    );
    expect(cold[0].reason.kind).toBe('popular');

    const similar = similarItems(model, model.itemIndex.get('coffee')!, { limit: 2 });
    expect(similar.map((s) => s.item).sort()).toEqual(['cream', 'sugar']);
    expect(similar[0].reason).toEqual({ kind: 'similar', item: 'coffee' });
  });
});
