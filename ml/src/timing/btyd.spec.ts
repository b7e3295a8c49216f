import { BG_NBD, MBG_NBD, btydLogLikelihood, fitBtyd, probabilityPurchaseWithin } from './btyd';
import { CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, loadCdnow } from './cdnow';
import { conditionalExpectedSpend, fitGammaGamma, populationMeanSpend } from './gamma-gamma';
import { purchasesBetween, summarise } from './transactions';

const within = (actual: number, expected: number, tolerance = 0.01) =>
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);

describe('BTYD models on the CDNOW cohort (Fader, Hardie & Lee 2005)', () => {
  const histories = loadCdnow();
  const summaries = histories.map((h) => summarise(h, CDNOW_CALIBRATION_END, 7)!);

  it('summarises 2,357 customers in weeks like the published data (customer 1: x=2, t_x=30.43, T=38.86)', () => {
    expect(summaries).toHaveLength(2357);
    const first = summaries.find((s) => s.customer === '00004')!;
    expect(first.frequency).toBe(2);
    expect(first.recency).toBeCloseTo(30.43, 2);
    expect(first.T).toBeCloseTo(38.86, 2);
    const repeat = histories.reduce(
      (n, h) => n + purchasesBetween(h, CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END),
      0,
    );
    expect(repeat).toBe(1882);
  });

  it('fits BG/NBD to the published r, α, a, b and log-likelihood (each within 1%)', () => {
    const fit = fitBtyd(BG_NBD, summaries);
    within(fit.params.r, 0.243);
    within(fit.params.alpha, 4.414);
    within(fit.params.a, 0.793);
    within(fit.params.b, 2.426);
    within(fit.logLikelihood, -9582.4);
  });

  it('forecasts 1.226 purchases in 39 weeks for x=2, t_x=30.43, T=38.86', () => {
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const c = { frequency: 2, recency: 30.43, T: 38.86 };
    within(BG_NBD.conditionalExpectedPurchases(p, c, 39), 1.226, 0.002);
    const alive = BG_NBD.probabilityAlive(p, c);
    expect(alive).toBeGreaterThan(0.5);
    expect(alive).toBeLessThan(1);
    const any = probabilityPurchaseWithin(BG_NBD, p, c, 39);
    expect(any).toBeGreaterThan(0);
    expect(any).toBeLessThan(alive);
  });

  it('fits Gamma-Gamma to p=6.25, q=3.74, γ=15.44 with mean expected spend ≈ $35.17', () => {
    const fit = fitGammaGamma(summaries);
    within(fit.params.p, 6.25);
    within(fit.params.q, 3.74);
    within(fit.params.gamma, 15.44);
    const repeaters = summaries.filter((s) => s.frequency > 0);
    expect(repeaters).toHaveLength(946);
    // The published $35.17 is the model's mean transaction value E[Z] = pγ/(q − 1).
    within(populationMeanSpend(fit.params), 35.17, 0.002);
    // Conditional expectations shrink each customer's own mean towards it.
    const heavy = { frequency: 10, monetary: 100 };
    const spend = conditionalExpectedSpend(fit.params, heavy);
    expect(spend).toBeGreaterThan(35.17);
    expect(spend).toBeLessThan(100);
  });

  it('fits MBG/NBD at least as well as BG/NBD, and the grouped likelihood equals the per-customer sum', () => {
    const fit = fitBtyd(MBG_NBD, summaries);
    expect(fit.logLikelihood).toBeGreaterThan(-9582.4 * 1.01);
    expect(fit.params.a).toBeGreaterThan(0);
    const perCustomer = summaries.reduce((s, c) => s + MBG_NBD.logLikelihood(fit.params, c), 0);
    expect(btydLogLikelihood(MBG_NBD, fit.params, summaries)).toBeCloseTo(perCustomer, 6);
    const bg = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const bgSum = summaries.reduce((s, c) => s + BG_NBD.logLikelihood(bg, c), 0);
    expect(btydLogLikelihood(BG_NBD, bg, summaries)).toBeCloseTo(bgSum, 6);
  });

  it('conditional forecasts of a brand-new customer equal the unconditional E[X(t)]', () => {
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    for (const model of [BG_NBD, MBG_NBD]) {
      const fresh = model.conditionalExpectedPurchases(p, { frequency: 0, recency: 0, T: 0 }, 52);
      expect(fresh).toBeCloseTo(model.expectedPurchases(p, 52), 10);
    }
  });
});
