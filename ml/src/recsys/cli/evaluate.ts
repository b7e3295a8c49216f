import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type TfBackendPreference, initTfBackend } from '../../backend';
import {
  completeJourneyInteractions,
  readInteractionsCsv,
  type InteractionDataset,
} from '../core/datasets';
import { type EvaluationResult, runEvaluation } from '../core/evaluation';
import { chooseKernels } from '../core/kernels';
import { DEFAULT_RECOMMENDER_PARAMS, type RecommenderParams } from '../core/model';
import { type SplitSpec, applySplit, parseSplit } from '../core/split';
import { numberOption, parseArgs, stringOption } from './args';
import { progressSteps } from './progress';
import { markdownTable, renderHtml, renderMarkdown } from './report';

const USAGE = `usage: npm run ml:evaluate -- (--data <interactions.csv[.gz]> | --completejourney)
  [--split last20|time|random] [--cutoff <ISO date>] [--repeats allowed|excluded|both]
  [--factors 32] [--iterations 10] [--alpha 5] [--regularization 5]
  [--ease-lambda <λ> (default: tuned over 10, 250, 1000)] [--ease-items 2000] [--no-ease] [--out reports] [--backend auto|node|wasm|cpu]`;

export function loadDataset(options: Map<string, string | true>): InteractionDataset {
  if (options.get('completejourney') === true) return completeJourneyInteractions();
  const data = stringOption(options, 'data');
  if (!data) throw new Error(`--data or --completejourney is required\n${USAGE}`);
  return readInteractionsCsv(data);
}

export function paramsFrom(options: Map<string, string | true>): RecommenderParams {
  const base = DEFAULT_RECOMMENDER_PARAMS;
  return {
    ...base,
    ials: {
      ...base.ials,
      factors: numberOption(options, 'factors', base.ials.factors),
      iterations: numberOption(options, 'iterations', base.ials.iterations),
      alpha: numberOption(options, 'alpha', base.ials.alpha),
      regularization: numberOption(options, 'regularization', base.ials.regularization),
    },
    ease: {
      lambda: numberOption(options, 'ease-lambda', base.ease!.lambda),
      maxItems: numberOption(options, 'ease-items', base.ease!.maxItems),
    },
  };
}

/** The validation split mirrors the test split inside the training part (same kind, same span). */
function validationSpec(spec: SplitSpec, dataEnd: number, trainEnd: number): SplitSpec {
  if (spec.kind !== 'time' || spec.cutoff === undefined) return spec;
  return { kind: 'time', cutoff: trainEnd - (dataEnd - spec.cutoff) };
}

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
  const cutoffText = stringOption(options, 'cutoff');
  const cutoff = cutoffText ? Date.parse(cutoffText) : undefined;
  if (cutoffText && !Number.isFinite(cutoff)) throw new Error(`--cutoff: bad date ${cutoffText}`);
  const spec = parseSplit(stringOption(options, 'split') ?? (cutoff ? 'time' : 'last20'), cutoff);
  const split = applySplit(dataset.interactions, spec);
  const dataEnd = Math.max(...dataset.interactions.map((e) => e.at));
  const trainEnd = Math.max(...split.train.map((e) => e.at));
  const repeats = stringOption(options, 'repeats') ?? 'both';
  const modes = repeats === 'both' ? [false, true] : [repeats === 'excluded'];
  const items = new Set(dataset.interactions.map((e) => e.item));
  const users = new Set(dataset.interactions.map((e) => e.user));
  const params = paramsFrom(options);
  const kernels = chooseKernels(items.size, params.ials.factors);
  process.stderr.write(`kernels: gram on ${kernels.gram}, batch scoring on ${kernels.score}\n`);

  const runs: EvaluationResult[] = [];
  for (const excludeRepeats of modes) {
    const run = runEvaluation(
      split,
      validationSpec(spec, dataEnd, trainEnd),
      dataset.categories,
      params,
      {
        excludeRepeats,
        kernels,
        step: progressSteps(),
        halfLives: [30, 180, 0],
        popularityWindows: [30, 60, 90],
        ease: !options.has('no-ease'),
        easeLambdas: options.has('ease-lambda') ? [params.ease!.lambda] : [10, 250, 1000],
      },
    );
    runs.push(run);
    process.stdout.write(
      `\n${run.split} — repeats ${excludeRepeats ? 'excluded' : 'allowed'}\n${markdownTable(run)}\n`,
    );
  }

  const out = resolve(stringOption(options, 'out') ?? 'reports');
  mkdirSync(out, { recursive: true });
  const report = {
    dataset: dataset.name,
    interactions: dataset.interactions.length,
    users: users.size,
    items: items.size,
    backend: backend.backend,
    command: `npm run ml:evaluate -- ${process.argv.slice(2).join(' ')}`,
    runs,
    generatedAt: new Date(),
  };
  const stamp = report.generatedAt.toISOString().replace(/[:.]/g, '-');
  const md = join(out, `recsys-evaluation-${stamp}.md`);
  const html = join(out, `recsys-evaluation-${stamp}.html`);
  writeFileSync(md, renderMarkdown(report));
  writeFileSync(html, renderHtml(report));
  process.stdout.write(`\nreport: ${md}\n        ${html}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
