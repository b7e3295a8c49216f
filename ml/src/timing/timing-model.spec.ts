import { BG_NBD } from './btyd';
import { discountedClv } from './clv';
import type { MemberHistory } from './features';
import { hazardRates, medianDaysToPurchase, probabilityWithin, trainHazard } from './hazard';
import { predictMember, trainTimingModel } from './timing-model';

/** Deterministic synthetic brand: members with their own purchase rhythm, some of whom stop. */
function syntheticBrand(members: number, lastDay: number): MemberHistory[] {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: members }, (_, i) => {
    const gap = 3 + Math.floor(rand() * 40);
    const stopAfter = rand() < 0.4 ? Math.floor(rand() * 10) : Infinity;
    const days: number[] = [];
    let day = Math.floor(rand() * 120);
    while (day <= lastDay && days.length <= stopAfter) {
      days.push(day);
      day += Math.max(1, Math.round(gap * (0.5 + rand())));
    }
    return { customer: `m${i}`, days, amounts: days.map(() => 1000 + Math.round(rand() * 4000)) };
  });
}

describe('timing model', () => {
  const lastDay = 400;
  const brand = syntheticBrand(300, lastDay);

  it('turns hazards into monotone window probabilities and a median date', () => {
    const hazards = [0.2, 0.2, 0.2, 0.2];
    expect(probabilityWithin(hazards, 7, 7)).toBeCloseTo(0.2, 12);
    expect(probabilityWithin(hazards, 7, 28)).toBeCloseTo(1 - 0.8 ** 4, 12);
    // S falls below ½ inside interval 4 (0.8³ = 0.512, 0.8⁴ = 0.4096).
    const median = medianDaysToPurchase(hazards, 7)!;
    expect(median).toBeGreaterThan(21);
    expect(median).toBeLessThan(28);
    expect(medianDaysToPurchase([0.001], 7)).toBeUndefined();
  });

  it('trains the TF.js hazard network on person-periods (small, seconds)', async () => {
    const examples = Array.from({ length: 400 }, (_, i) => {
      const x = (i % 2) * 2 - 1;
      // x = 1 buys in the first interval, x = −1 never within the horizon.
      return x > 0
        ? { features: [x], targets: [1, 0], mask: [1, 0] }
        : { features: [x], targets: [0, 0], mask: [1, 1] };
    });
    const weights = await trainHazard(examples, {
      intervals: 2,
      intervalDays: 7,
      epochs: 40,
      hidden: 4,
      batchSize: 100,
    });
    expect(hazardRates(weights, [1])[0]).toBeGreaterThan(0.8);
    expect(hazardRates(weights, [-1])[0]).toBeLessThan(0.2);
  });

  it('selects by validation, scores members and values them', async () => {
    const state = await trainTimingModel(brand, lastDay, {
      epochs: 3,
      cutoffs: 4,
      minMembersForHazard: 100,
    });
    expect(['hazard', 'bgnbd', 'recency']).toContain(state.served);
    const scores = state.validation!.scores;
    expect(Object.keys(scores).sort()).toEqual(['bgnbd', 'hazard', 'recency']);
    const chosen = scores[state.served]!;
    for (const s of Object.values(scores)) expect(chosen.brier).toBeLessThanOrEqual(s.brier);
    expect(state.gammaGamma).toBeDefined();

    // A round trip through JSON (how versions are stored) predicts the same.
    const stored = JSON.parse(JSON.stringify(state)) as typeof state;
    const member = brand.find((h) => h.days.length > 5)!;
    const p = predictMember(stored, member, lastDay);
    expect(p).toEqual(predictMember(state, member, lastDay));
    expect(p.p7).toBeLessThanOrEqual(p.p14);
    expect(p.p14).toBeLessThanOrEqual(p.p28);
    expect(p.pAlive).toBeGreaterThan(0);
    expect(p.clv12m).toBeGreaterThan(0);
  });

  it('falls back to the posterior rate when ₂F₁ is out of reach of its series (degenerate fit)', async () => {
    const state = await trainTimingModel(brand.slice(0, 30), lastDay, {
      minMembersForHazard: 1000,
    });
    // α → 0: for a member whose first purchase is today, z = t/(α + t) is within 1e-9 of 1.
    const degenerate = {
      ...state,
      served: 'bgnbd' as const,
      btyd: { ...state.btyd, params: { r: 0.5, alpha: 1e-9, a: 0.8, b: 2.5 } },
    };
    const p = predictMember(
      degenerate,
      { customer: 'new', days: [lastDay], amounts: [1000] },
      lastDay,
    );
    expect(Number.isFinite(p.expectedPurchases12m)).toBe(true);
    expect(Number.isFinite(p.clv12m)).toBe(true);
  });

  it('discounts CLV: a higher rate or a lower margin is worth less', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const c = { frequency: 2, recency: 30.43, T: 38.86 };
    const base = { horizonDays: 364, steps: 12, margin: 1, annualDiscountRate: 0 };
    const undiscounted = discountedClv(BG_NBD, params, c, 7, 35, base);
    // With no discounting CLV is expected purchases × spend.
    expect(undiscounted).toBeCloseTo(BG_NBD.conditionalExpectedPurchases(params, c, 52) * 35, 8);
    expect(
      discountedClv(BG_NBD, params, c, 7, 35, { ...base, annualDiscountRate: 0.15 }),
    ).toBeLessThan(undiscounted);
    expect(discountedClv(BG_NBD, params, c, 7, 35, { ...base, margin: 0.3 })).toBeCloseTo(
      undiscounted * 0.3,
      8,
    );
  });
});
