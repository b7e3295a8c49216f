import { DEFAULT_LIFECYCLE_POLICY, lifecycleStage, resolvePolicy } from './lifecycle-policy';

describe('lifecycle policy', () => {
  const stage = (
    orders: number,
    daysSinceLast: number | null,
    typicalGapDays: number | null = null,
  ) =>
    lifecycleStage(DEFAULT_LIFECYCLE_POLICY, {
      orders,
      daysSinceLast,
      daysSinceJoined: 400,
      typicalGapDays,
    });

  it('places members in the documented default bands', () => {
    expect(stage(0, null)).toBe('dormant');
    expect(
      lifecycleStage(DEFAULT_LIFECYCLE_POLICY, {
        orders: 0,
        daysSinceLast: null,
        daysSinceJoined: 3,
        typicalGapDays: null,
      }),
    ).toBe('new');
    expect(stage(1, 10)).toBe('new');
    expect(stage(1, 40)).toBe('active');
    expect(stage(1, 60)).toBe('at_risk');
    expect(stage(1, 100)).toBe('dormant');
    expect(stage(1, 200)).toBe('churned');
    // A weekly buyer is at risk after three weeks, dormant after six.
    expect(stage(10, 9, 7)).toBe('active');
    expect(stage(10, 20, 7)).toBe('at_risk');
    expect(stage(10, 40, 7)).toBe('dormant');
    expect(stage(10, 43, 7)).toBe('churned');
    // Gaps are clamped: a daily buyer is judged on a weekly gap, a yearly one on 120 days.
    expect(stage(10, 9, 1)).toBe('active');
    expect(stage(3, 500, 365)).toBe('dormant');
  });

  it('merges brand settings and options over the defaults and rejects nonsense', () => {
    expect(resolvePolicy({ newDays: 14 }, { dormantFactor: 8 })).toMatchObject({
      newDays: 14,
      dormantFactor: 8,
      activeFactor: 1.5,
    });
    expect(() => resolvePolicy({ bogus: 1 })).toThrow('Invalid lifecycle policy');
    expect(() => resolvePolicy({ newDays: -1 })).toThrow('Invalid lifecycle policy');
    expect(() => resolvePolicy({ activeFactor: 9 })).toThrow('Invalid lifecycle policy');
  });
});
