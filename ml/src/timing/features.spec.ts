import { BG_NBD, probabilityPurchaseWithin } from './btyd';
import {
  FEATURE_NAMES,
  boughtWithin,
  btydHazardLogits,
  buildHazardExamples,
  memberFeatures,
} from './features';
import { hazardRates, probabilityWithin } from './hazard';
import { fitRecency, recencyPredict } from './recency';

const history = { customer: 'm1', days: [100, 110, 120, 130], amounts: [10, 20, 30, 40] };

describe('timing features', () => {
  it('look only at purchases up to the cutoff', () => {
    const at115 = memberFeatures(history, 115);
    expect(at115).toHaveLength(FEATURE_NAMES.length);
    const named = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, at115[i]]));
    expect(named.log_purchases).toBeCloseTo(Math.log1p(2), 12);
    expect(named.log_days_since_last).toBeCloseTo(Math.log1p(5), 12);
    expect(named.log_mean_gap).toBeCloseTo(Math.log1p(10), 12);
    expect(named.log_mean_spend).toBeCloseTo(Math.log1p(15), 12);
    // Adding a later purchase changes nothing as of day 115.
    expect(
      memberFeatures(
        { ...history, days: [...history.days, 140], amounts: [...history.amounts, 1] },
        115,
      ),
    ).toEqual(at115);
    expect(() => memberFeatures(history, 99)).toThrow();
  });

  it('carries the BTYD view when a fitted model is given', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const f = memberFeatures(history, 135, { model: BG_NBD, params, unitDays: 7 });
    const pAlive = f[FEATURE_NAMES.indexOf('btyd_p_alive')];
    expect(pAlive).toBeGreaterThan(0);
    expect(pAlive).toBeLessThanOrEqual(1);
  });

  it('BG/NBD interval hazards reproduce its window probabilities (the residual network starts there)', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const context = { model: BG_NBD, params, unitDays: 7 };
    const logits = btydHazardLogits(history, 135, context, 4, 7);
    const zeroNetwork = {
      residual: true,
      intervals: 4,
      intervalDays: 7,
      featureMean: new Array<number>(FEATURE_NAMES.length).fill(0),
      featureStd: new Array<number>(FEATURE_NAMES.length).fill(1),
      w1: FEATURE_NAMES.map(() => [0]),
      b1: [0],
      w2: [[0, 0, 0, 0]],
      b2: [0, 0, 0, 0],
    };
    const hazards = hazardRates(zeroNetwork, memberFeatures(history, 135, context), logits);
    const summary = { frequency: 3, recency: 30 / 7, T: 35 / 7 };
    expect(probabilityWithin(hazards, 7, 28)).toBeCloseTo(
      probabilityPurchaseWithin(BG_NBD, params, summary, 4),
      6,
    );
    expect(() => hazardRates(zeroNetwork, memberFeatures(history, 135, context))).toThrow(
      /offsets/,
    );
  });

  it('labels person-periods with the interval of the next purchase and censors at the data end', () => {
    const examples = buildHazardExamples([history], {
      lastDay: 140,
      intervals: 4,
      intervalDays: 7,
      stepDays: 14,
      cutoffs: 2,
    });
    // Cutoff 133: one week observable, no purchase → at risk in interval 1 only.
    expect(examples[0].targets).toEqual([0, 0, 0, 0]);
    expect(examples[0].mask).toEqual([1, 0, 0, 0]);
    // Cutoff 119: next purchase on day 120 → event in interval 1, nothing after it is at risk.
    expect(examples[1].targets).toEqual([1, 0, 0, 0]);
    expect(examples[1].mask).toEqual([1, 0, 0, 0]);
    expect(boughtWithin(history, 119, 7)).toBe(true);
    expect(boughtWithin(history, 130, 7)).toBe(false);
  });

  it('thins a large brand by members before building examples', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...history, customer: `m${i}` }));
    const examples = buildHazardExamples(many, {
      lastDay: 140,
      intervals: 4,
      intervalDays: 7,
      stepDays: 7,
      cutoffs: 3,
      maxExamples: 300,
    });
    expect(examples).toHaveLength(300);
  });

  it('the recency table learns that recent buyers buy again', () => {
    const regular = Array.from({ length: 30 }, (_, i) => ({
      customer: `r${i}`,
      days: Array.from({ length: 40 }, (_, k) => 10 + i + k * 5),
      amounts: new Array<number>(40).fill(1),
    }));
    const lapsed = Array.from({ length: 30 }, (_, i) => ({
      customer: `l${i}`,
      days: [i],
      amounts: [1],
    }));
    const table = fitRecency([...regular, ...lapsed], { lastDay: 220, stepDays: 7, cutoffs: 10 });
    expect(recencyPredict(table, 2).p7).toBeGreaterThan(0.8);
    expect(recencyPredict(table, 200).p28).toBeLessThan(0.1);
    expect(recencyPredict(table, 2).p28).toBeGreaterThanOrEqual(recencyPredict(table, 2).p7);
  });
});
