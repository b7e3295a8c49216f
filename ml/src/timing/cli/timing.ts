import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initTfBackend, type TfBackendPreference } from '../../backend';
import { CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, CDNOW_SAMPLE } from '../cdnow';
import { evaluateHoldout } from '../evaluate';
import { htmlReport, markdownReport, textReport } from '../report';
import { parseDay, readTransactionsFile, toHistories } from '../transactions';

const USAGE = `usage: npm run ml:timing -- [--data <transactions.csv|CDNOW .txt[.gz]>]
         [--calibration-end YYYY-MM-DD] [--holdout-end YYYY-MM-DD] [--out reports/timing.html]
         [--unit-days 7] [--window-days 28] [--epochs 10] [--benchmarks BENCHMARKS.md]
Without --data: the CDNOW 2,357-customer sample, calibration to 1997-09-30, holdout to 1998-06-30.`;

/** A one-line progress bar on stderr (stdout stays clean for the report). */
function progress(stage: string, done: number, total: number): void {
  if (!process.stderr.isTTY && done !== total) return;
  const width = 24;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r${stage.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      'calibration-end': { type: 'string' },
      'holdout-end': { type: 'string' },
      out: { type: 'string', default: 'reports/timing.html' },
      'unit-days': { type: 'string', default: '7' },
      'window-days': { type: 'string', default: '28' },
      epochs: { type: 'string', default: '10' },
      benchmarks: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const data = values.data ?? CDNOW_SAMPLE;
  const calibrationEnd = values['calibration-end']
    ? parseDay(values['calibration-end'])
    : values.data
      ? undefined
      : CDNOW_CALIBRATION_END;
  const holdoutEnd = values['holdout-end']
    ? parseDay(values['holdout-end'])
    : values.data
      ? undefined
      : CDNOW_HOLDOUT_END;
  if (calibrationEnd === undefined || holdoutEnd === undefined || holdoutEnd <= calibrationEnd) {
    console.error(`--calibration-end and a later --holdout-end are required with --data\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const backend = await initTfBackend((process.env.TF_BACKEND ?? 'auto') as TfBackendPreference);
  console.error(`TensorFlow.js backend: ${backend.backend}`);
  const histories = toHistories(readTransactionsFile(data));
  const started = performance.now();
  const evaluation = await evaluateHoldout(histories, {
    calibrationEnd,
    holdoutEnd,
    unitDays: Number(values['unit-days']),
    windowDays: Number(values['window-days']),
    epochs: Number(values.epochs),
    onProgress: progress,
  });
  console.log(textReport(evaluation));
  console.log(`total ${Math.round(performance.now() - started)} ms`);
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, htmlReport(evaluation, `Next-purchase timing: ${data}`));
  console.log(`report: ${out}`);
  if (values.benchmarks) {
    const command = `npm run ml:timing -- ${process.argv.slice(2).join(' ')}`;
    appendFileSync(
      values.benchmarks,
      `\n### Holdout evaluation (${new Date().toISOString().slice(0, 10)}, TF.js ${backend.backend})\n\n${markdownReport(evaluation, command)}\n`,
    );
    console.log(`appended to ${values.benchmarks}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
