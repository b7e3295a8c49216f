import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type TfBackendPreference, initTfBackend } from '../../backend';
import { writeInteractionsCsv } from '../core/datasets';
import { blendGrid, evaluateBlends } from '../core/evaluation';
import { chooseKernels } from '../core/kernels';
import type { RankingMetrics } from '../core/metrics';
import { type BlendWeights, type CfModel, serializeModel, trainRecommender } from '../core/model';
import { splitByTime, testTruth, timeQuantile } from '../core/split';
import { parseArgs, stringOption } from './args';
import { loadDataset, paramsFrom } from './evaluate';
import { progressSteps } from './progress';

const USAGE = `usage: npm run ml:train -- (--data <interactions.csv[.gz]> | --completejourney)
  [--factors 32] [--iterations 10] [--alpha 5] [--ease-lambda 50] [--ease-items 2000] [--no-ease]
  [--out reports] [--backend auto|node|wasm|cpu]
  [--export-csv <path>]   also write the dataset as user,item,timestamp,weight,category`;

/**
 * Trains the production blend on a whole interactions file, as the worker does for a brand:
 * weights tuned on the latest 20 % of events, then a final fit on everything. Writes the
 * artefact (the bytes stored in model_versions.artifact) and a JSON summary.
 */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const backend = await initTfBackend(
    (stringOption(options, 'backend') ?? process.env.TF_BACKEND ?? 'auto') as TfBackendPreference,
    {
      logger: {
        log: (m) => process.stderr.write(`${m}\n`),
        warn: (m) => process.stderr.write(`${m}\n`),
      },
    },
  );
  const dataset = loadDataset(options);
  const exportCsv = stringOption(options, 'export-csv');
  if (exportCsv) writeInteractionsCsv(exportCsv, dataset);
  const base = paramsFrom(options);
  const rows = dataset.interactions;
  const kernels = chooseKernels(new Set(rows.map((e) => e.item)).size, base.ials.factors);
  const step = progressSteps();

  const validation = splitByTime(rows, timeQuantile(rows, 0.8));
  const tuneTrain = step('tune: train on the earliest 80 %');
  const trained = trainRecommender(
    validation.train,
    dataset.categories,
    base,
    kernels,
    (i, n) => tuneTrain.tick(i, n),
    { ease: !options.has('no-ease') },
  );
  tuneTrain.done();
  const grid = blendGrid(base.weights);
  // Both CF models on validation; the blend keeps the one that measures better (as the worker does).
  let chosen: { metrics: RankingMetrics; weights: BlendWeights; cf: CfModel } | null = null;
  for (const source of trained.model.ease ? (['ials', 'ease'] as const) : (['ials'] as const)) {
    const tune = step(`tune: ${grid.length} blend weightings (${source})`);
    const results = evaluateBlends(trained, testTruth(validation, false), grid, {
      excludeRepeats: false,
      kernels,
      maxUsers: 1500,
      source,
      onProgress: (d, t) => tune.tick(d, t),
    });
    tune.done();
    results.forEach((metrics, g) => {
      if (!chosen || metrics.ndcg10 > chosen.metrics.ndcg10)
        chosen = { metrics, weights: grid[g], cf: source };
    });
  }
  const best = chosen!;
  const params = { ...base, weights: best.weights, cf: best.cf };
  const fit = step('train on everything');
  const started = performance.now();
  const final = trainRecommender(rows, dataset.categories, params, kernels, (i, n) =>
    fit.tick(i, n),
  );
  const trainMs = Math.round(performance.now() - started);
  fit.done();

  const out = resolve(stringOption(options, 'out') ?? 'reports');
  mkdirSync(out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const artifact = serializeModel(final.model);
  const artifactPath = join(out, `recommender-${stamp}.bin.gz`);
  writeFileSync(artifactPath, artifact);
  const summary = {
    dataset: dataset.name,
    backend: backend.backend,
    kernels,
    interactions: rows.length,
    users: final.matrix.users.length,
    items: final.matrix.items.length,
    trainMs,
    artifactBytes: artifact.length,
    validation: best.metrics,
    params,
  };
  writeFileSync(join(out, `recommender-${stamp}.json`), JSON.stringify(summary, null, 2) + '\n');
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\nartefact: ${artifactPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
