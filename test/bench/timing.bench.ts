/**
 * Next-purchase timing benchmark (pure computation, no servers): BG/NBD, MBG/NBD and
 * Gamma-Gamma fit times on the CDNOW cohort (2,357 customers) and the full CDNOW master file
 * (23,570), against baselines measured in the same run — the naive per-customer likelihood for
 * the same Nelder–Mead fit (what the frequency-grouped likelihood saves) and the recency table —
 * and per-member prediction throughput over BENCH_MEMBERS (default 1,000,000) synthetic
 * summaries: BG/NBD window probabilities + P(alive), the full stored prediction (+ 12-month
 * expectation and discounted CLV, ₂F₁ terms), the hazard network's forward pass, and the
 * recency lookup as the baseline. Usage: npm run bench:timing.
 */
import { loadavg } from 'node:os';
import {
  BG_NBD,
  CDNOW_CALIBRATION_END,
  CDNOW_MASTER,
  CDNOW_SAMPLE,
  type BtydModel,
  type BtydParams,
  DEFAULT_CLV,
  MBG_NBD,
  type RfmSummary,
  buildHazardExamples,
  conditionalExpectedSpend,
  discountedClv,
  fitBtyd,
  fitGammaGamma,
  fitRecency,
  hazardRates,
  loadCdnow,
  minimizeMultiStart,
  probabilityPurchaseWithin,
  recencyPredict,
  summarise,
  trainHazard,
} from '@app/ml';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);

const time = <T>(work: () => T): { value: T; ms: number } => {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
};

/** The same optimiser and starts as fitBtyd, over the ungrouped per-customer likelihood. */
function naiveFit(model: BtydModel, data: RfmSummary[]): number {
  const fromLog = ([r, alpha, a, b]: number[]): BtydParams => ({
    r: Math.exp(r),
    alpha: Math.exp(alpha),
    a: Math.exp(a),
    b: Math.exp(b),
  });
  const meanT = data.reduce((s, c) => s + c.T, 0) / data.length;
  const objective = (x: number[]) => {
    const p = fromLog(x);
    let sum = 0;
    for (const c of data) sum += model.logLikelihood(p, c);
    return -sum / data.length;
  };
  const L = Math.log;
  const best = minimizeMultiStart(objective, [
    [L(1), L(meanT), L(1), L(1)],
    [L(0.25), L(meanT / 10), L(0.8), L(2.5)],
    [L(2), L(meanT * 3), L(0.3), L(6)],
  ]);
  return -best.fx * data.length;
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const row = (...cells: (string | number)[]) => {
    rows.push(cells.map(String));
    console.log(cells.join('  |  '));
  };
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  for (const [name, path] of [
    ['CDNOW cohort', CDNOW_SAMPLE],
    ['CDNOW master', CDNOW_MASTER],
  ] as const) {
    const histories = loadCdnow(path);
    const summaries = histories.flatMap((h) => {
      const s = summarise(h, CDNOW_CALIBRATION_END, 7);
      return s ? [s] : [];
    });
    const n = summaries.length.toLocaleString('en');
    const bg = time(() => fitBtyd(BG_NBD, summaries));
    row(
      `${name} (${n})`,
      'BG/NBD fit',
      `${bg.ms.toFixed(0)} ms`,
      `LL ${bg.value.logLikelihood.toFixed(1)}`,
    );
    const mbg = time(() => fitBtyd(MBG_NBD, summaries));
    row(
      `${name} (${n})`,
      'MBG/NBD fit',
      `${mbg.ms.toFixed(0)} ms`,
      `LL ${mbg.value.logLikelihood.toFixed(1)}`,
    );
    const gg = time(() => fitGammaGamma(summaries));
    row(
      `${name} (${n})`,
      'Gamma-Gamma fit',
      `${gg.ms.toFixed(0)} ms`,
      `${gg.value.customers} repeaters`,
    );
    const recency = time(() =>
      fitRecency(histories, { lastDay: CDNOW_CALIBRATION_END, stepDays: 14, cutoffs: 13 }),
    );
    row(`${name} (${n})`, 'baseline: recency table', `${recency.ms.toFixed(0)} ms`, '');
    if (summaries.length <= 5000) {
      const naive = time(() => naiveFit(BG_NBD, summaries));
      row(
        `${name} (${n})`,
        'baseline: BG/NBD, ungrouped likelihood',
        `${naive.ms.toFixed(0)} ms`,
        `LL ${naive.value.toFixed(1)}`,
      );
      const context = { model: BG_NBD, params: bg.value.params, unitDays: 7 };
      const examples = buildHazardExamples(histories, {
        lastDay: CDNOW_CALIBRATION_END,
        intervals: 8,
        intervalDays: 7,
        stepDays: 14,
        cutoffs: 13,
        btyd: context,
      });
      const started = performance.now();
      await trainHazard(examples, { intervals: 8, intervalDays: 7, epochs: 25 });
      row(
        `${name} (${n})`,
        `TF.js hazard training (${examples.length} examples, 25 epochs, cpu)`,
        `${(performance.now() - started).toFixed(0)} ms`,
        '',
      );
    }
  }

  // Synthetic members with CDNOW-like summaries, in days (the platform's unit is weeks: /7).
  let seed = 1;
  const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const members = Array.from({ length: MEMBERS }, () => {
    const T = 1 + rand() * 700;
    const frequency = rand() < 0.6 ? 0 : Math.floor(rand() * 20);
    const recency = frequency ? rand() * T : 0;
    return {
      frequency,
      recency: recency / 7,
      T: T / 7,
      monetary: 1000 + rand() * 5000,
      sinceLast: T - recency,
    };
  });
  const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const gg = { p: 6.25, q: 3.74, gamma: 15.44 };
  const perSecond = (ms: number) => Math.round((MEMBERS / ms) * 1000).toLocaleString('en');
  const m = MEMBERS.toLocaleString('en');

  const table = fitRecency([{ customer: 'x', days: [0, 5, 9, 30, 31], amounts: [1, 1, 1, 1, 1] }], {
    lastDay: 60,
    stepDays: 7,
    cutoffs: 4,
  });
  const baseline = time(() => {
    let s = 0;
    for (const c of members) s += recencyPredict(table, c.sinceLast).p28;
    return s;
  });
  row(
    `${m} members`,
    'baseline: recency lookup',
    `${baseline.ms.toFixed(0)} ms`,
    `${perSecond(baseline.ms)} /s`,
  );
  const windows = time(() => {
    let s = 0;
    for (const c of members) {
      s += BG_NBD.probabilityAlive(params, c);
      for (const d of [7, 14, 28]) s += probabilityPurchaseWithin(BG_NBD, params, c, d / 7);
    }
    return s;
  });
  row(
    `${m} members`,
    'BG/NBD P(7/14/28 d) + P(alive)',
    `${windows.ms.toFixed(0)} ms`,
    `${perSecond(windows.ms)} /s`,
  );
  const hazardWeights = {
    intervals: 8,
    intervalDays: 7,
    featureMean: new Array<number>(15).fill(0),
    featureStd: new Array<number>(15).fill(1),
    w1: Array.from({ length: 15 }, () => Array.from({ length: 16 }, () => rand() - 0.5)),
    b1: new Array<number>(16).fill(0),
    w2: Array.from({ length: 16 }, () => Array.from({ length: 8 }, () => rand() - 0.5)),
    b2: new Array<number>(8).fill(-2),
  };
  const features = Array.from({ length: 15 }, () => rand());
  const hazard = time(() => {
    let s = 0;
    for (let i = 0; i < MEMBERS; i++) {
      features[0] = i / MEMBERS;
      s += hazardRates(hazardWeights, features)[0];
    }
    return s;
  });
  row(
    `${m} members`,
    'hazard forward pass (15→16→8, plain JS)',
    `${hazard.ms.toFixed(0)} ms`,
    `${perSecond(hazard.ms)} /s`,
  );
  const full = time(() => {
    let s = 0;
    for (const c of members) {
      s += BG_NBD.conditionalExpectedPurchases(params, c, 365 / 7);
      const spend = conditionalExpectedSpend(gg, c);
      s += discountedClv(BG_NBD, params, c, 7, spend, DEFAULT_CLV);
    }
    return s;
  });
  row(
    `${m} members`,
    '12-month E[purchases] + discounted CLV (13 ₂F₁)',
    `${full.ms.toFixed(0)} ms`,
    `${perSecond(full.ms)} /s`,
  );

  console.log('\n| data | what | time | note |\n| --- | --- | ---: | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
