import {
  addMonths,
  meetsThresholds,
  progressToNext,
  qualifyingTier,
  reviewDecision,
  upgradeTarget,
  windowStart,
} from './tier-maths';

const tier = (rank: number, spend: number, orders: number, engagement: number) => ({
  id: `t${rank}`,
  rank,
  minSpendMinor: spend,
  minOrders: orders,
  minEngagementPoints: engagement,
});
// Deliberately unsorted: the maths must not rely on the caller's order.
const TIERS = [
  tier(2, 100_000, 5, 0),
  tier(0, 0, 0, 0),
  tier(3, 500_000, 10, 200),
  tier(1, 20_000, 0, 0),
];
const stats = (spendMinor: number, orders = 0, engagementPoints = 0) => ({
  spendMinor,
  orders,
  engagementPoints,
});
const AS_OF = new Date('2026-03-31T12:00:00Z');

describe('tier qualification', () => {
  it('picks the highest rank whose thresholds are all met', () => {
    expect(qualifyingTier(TIERS, stats(0))?.rank).toBe(0);
    expect(qualifyingTier(TIERS, stats(19_999, 50, 1000))?.rank).toBe(0);
    expect(qualifyingTier(TIERS, stats(20_000))?.rank).toBe(1);
    expect(qualifyingTier(TIERS, stats(100_000, 5))?.rank).toBe(2);
    expect(qualifyingTier(TIERS, stats(600_000, 12, 200))?.rank).toBe(3);
  });

  it('needs every threshold of a tier, not just one (spend alone is not enough for rank 2)', () => {
    expect(qualifyingTier(TIERS, stats(1_000_000, 4, 10_000))?.rank).toBe(1);
    expect(qualifyingTier(TIERS, stats(1_000_000, 100, 199))?.rank).toBe(2);
    expect(meetsThresholds(tier(3, 500_000, 10, 200), stats(500_000, 10, 200))).toBe(true);
    expect(meetsThresholds(tier(3, 500_000, 10, 200), stats(500_000, 10, 199))).toBe(false);
  });

  it('has no tier when the brand has none', () => {
    expect(qualifyingTier([], stats(1))).toBeNull();
  });

  it('upgrades only upwards outside a review', () => {
    expect(upgradeTarget(TIERS, 0, stats(100_000, 5))?.rank).toBe(2);
    expect(upgradeTarget(TIERS, 2, stats(100_000, 5))).toBeNull();
    expect(upgradeTarget(TIERS, 3, stats(0))).toBeNull();
  });

  it('uses a 12-month window that clamps to month ends', () => {
    expect(windowStart(AS_OF).toISOString()).toBe('2025-03-31T12:00:00.000Z');
    expect(addMonths(new Date('2024-02-29T00:00:00Z'), 12).toISOString()).toBe(
      '2025-02-28T00:00:00.000Z',
    );
    expect(addMonths(new Date('2026-01-31T00:00:00Z'), 1).toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
  });
});

describe('progress to the next tier', () => {
  it('reports have, need and remaining per threshold of the next rank', () => {
    const progress = progressToNext(TIERS, 1, stats(40_000, 7, 3));
    expect(progress?.next.rank).toBe(2);
    expect(progress).toMatchObject({
      spendMinor: { have: 40_000, need: 100_000, remaining: 60_000 },
      orders: { have: 7, need: 5, remaining: 0 },
      engagementPoints: { have: 3, need: 0, remaining: 0 },
      qualifies: false,
    });
  });

  it('is null at the top tier', () => {
    expect(progressToNext(TIERS, 3, stats(0))).toBeNull();
  });
});

describe('review decisions', () => {
  const policy = { reviewPeriodMonths: 12, downgradeGraceDays: 30 };
  const review = (currentRank: number, warned: boolean, s: ReturnType<typeof stats>) =>
    reviewDecision({ tiers: TIERS, currentRank, warned, stats: s, asOf: AS_OF, policy });

  it('keeps a member who still qualifies and clears a warning, next review a period later', () => {
    expect(review(2, true, stats(100_000, 5))).toEqual({
      action: 'keep',
      clearWarning: true,
      nextReviewAt: new Date('2027-03-31T12:00:00Z'),
    });
    expect(review(0, false, stats(0))).toMatchObject({ action: 'keep', clearWarning: false });
  });

  it('warns first, giving the grace period before the next look', () => {
    expect(review(2, false, stats(30_000, 1))).toEqual({
      action: 'warn',
      qualifiesFor: TIERS[3],
      nextReviewAt: new Date('2026-04-30T12:00:00Z'),
    });
  });

  it('downgrades a warned member to the highest tier they still qualify for', () => {
    expect(review(3, true, stats(30_000, 1))).toEqual({
      action: 'downgrade',
      to: TIERS[3],
      nextReviewAt: new Date('2027-03-31T12:00:00Z'),
    });
    expect(review(3, true, stats(0))).toMatchObject({ action: 'downgrade', to: { rank: 0 } });
  });

  it('upgrades at a review when the member has outgrown the tier', () => {
    expect(review(1, true, stats(600_000, 10, 200))).toMatchObject({
      action: 'upgrade',
      to: { rank: 3 },
    });
  });
});
