import type { EvaluationResult } from '../core/evaluation';
import { METRIC_LABELS } from '../core/metrics';

export interface ReportInput {
  dataset: string;
  interactions: number;
  users: number;
  items: number;
  backend: string;
  command: string;
  runs: EvaluationResult[];
  generatedAt: Date;
}

const METRICS = Object.keys(METRIC_LABELS) as (keyof typeof METRIC_LABELS)[];
const fmt = (v: number) => v.toFixed(3);
const weights = (r: EvaluationResult['results'][number]) =>
  `cf ${r.weights.cf}${r.weights.cf > 0 ? ` (${r.source === 'ease' ? 'EASE' : 'iALS'})` : ''}, re-buy ${r.weights.rebuy}, pop ${r.weights.popularity}`;

function title(run: EvaluationResult): string {
  return `${run.split} — repeats ${run.excludeRepeats ? 'excluded' : 'allowed'}`;
}

export function markdownTable(run: EvaluationResult): string {
  const head = `| model | ${METRICS.map((m) => METRIC_LABELS[m]).join(' | ')} | weights |`;
  const rule = `| --- | ${METRICS.map(() => '---:').join(' | ')} | --- |`;
  const rows = run.results.map(
    (r) => `| ${r.model} | ${METRICS.map((m) => fmt(r.metrics[m])).join(' | ')} | ${weights(r)} |`,
  );
  return [head, rule, ...rows].join('\n');
}

export function renderMarkdown(input: ReportInput): string {
  const parts = [
    `# Recommender evaluation`,
    '',
    `- dataset: ${input.dataset} (${input.interactions} interactions, ${input.users} users, ${input.items} items)`,
    `- TF.js backend: ${input.backend}`,
    `- command: \`${input.command}\``,
    `- generated: ${input.generatedAt.toISOString()}`,
  ];
  for (const run of input.runs) {
    parts.push(
      '',
      `## ${title(run)}`,
      '',
      `Test users: ${run.testUsers}. Tuned on ${run.validation.split} inside the training part ` +
        `(${run.validation.tried} settings; best validation NDCG@10 ${fmt(run.validation.bestNdcg10)}, ` +
        `half-life ${run.validation.halfLifeDays ? `${run.validation.halfLifeDays} d` : 'none'}, ` +
        `popularity window ${run.validation.popularityWindowDays} d, CF model ${run.validation.cf}; ` +
        `best validation NDCG@10 by CF model: ${Object.entries(run.validation.bestBySource)
          .map(([m, v]) => `${m} ${fmt(v)}`)
          .join(', ')}). Training on ${run.trainInteractions} interactions took ` +
        `${(run.trainMs / 1000).toFixed(1)} s (iALS k=${run.params.ials.factors}, ${run.params.ials.iterations} iterations; ` +
        `EASE λ=${run.params.ease?.lambda}, ${run.params.ease?.maxItems} items max).`,
      '',
      markdownTable(run),
    );
  }
  return parts.join('\n') + '\n';
}

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Grouped bars: one group per metric, one bar per model. */
export function svgChart(run: EvaluationResult): string {
  const colours = ['#8da0cb', '#fc8d62', '#66c2a5', '#e78ac3', '#a6d854'];
  const groupWidth = 120;
  const barWidth = Math.floor((groupWidth - 20) / run.results.length);
  const height = 220;
  const plot = 170;
  const max = Math.max(0.01, ...run.results.flatMap((r) => METRICS.map((m) => r.metrics[m])));
  const width = 60 + METRICS.length * groupWidth;
  const bars: string[] = [];
  METRICS.forEach((metric, g) => {
    const x0 = 50 + g * groupWidth;
    run.results.forEach((r, b) => {
      const h = (r.metrics[metric] / max) * plot;
      bars.push(
        `<rect x="${x0 + b * barWidth}" y="${(10 + plot - h).toFixed(1)}" width="${barWidth - 2}" height="${h.toFixed(1)}" fill="${colours[b % colours.length]}"><title>${escape(r.model)} ${METRIC_LABELS[metric]} ${fmt(r.metrics[metric])}</title></rect>`,
      );
    });
    bars.push(
      `<text x="${x0 + (barWidth * run.results.length) / 2}" y="${plot + 28}" font-size="12" text-anchor="middle">${METRIC_LABELS[metric]}</text>`,
    );
  });
  const legend = run.results
    .map(
      (r, b) =>
        `<rect x="${50 + b * 110}" y="${height - 14}" width="10" height="10" fill="${colours[b % colours.length]}"/><text x="${64 + b * 110}" y="${height - 5}" font-size="12">${escape(r.model)}</text>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escape(title(run))}">` +
    `<line x1="45" y1="${10 + plot}" x2="${width}" y2="${10 + plot}" stroke="#333"/>` +
    `<text x="40" y="18" font-size="11" text-anchor="end">${fmt(max)}</text>` +
    `<text x="40" y="${10 + plot}" font-size="11" text-anchor="end">0</text>` +
    bars.join('') +
    legend +
    `</svg>`
  );
}

/** A self-contained page: inline CSS and SVG, no scripts or external assets. */
export function renderHtml(input: ReportInput): string {
  const sections = input.runs.map((run) => {
    const rows = run.results
      .map(
        (r) =>
          `<tr><td>${escape(r.model)}</td>${METRICS.map((m) => `<td>${fmt(r.metrics[m])}</td>`).join('')}<td>${escape(weights(r))}</td></tr>`,
      )
      .join('');
    return (
      `<h2>${escape(title(run))}</h2>` +
      `<p>Test users: ${run.testUsers}; tuned on ${escape(run.validation.split)} (best validation NDCG@10 ${fmt(run.validation.bestNdcg10)}); training ${(run.trainMs / 1000).toFixed(1)} s.</p>` +
      `<table><thead><tr><th>model</th>${METRICS.map((m) => `<th>${METRIC_LABELS[m]}</th>`).join('')}<th>weights</th></tr></thead><tbody>${rows}</tbody></table>` +
      svgChart(run)
    );
  });
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Recommender evaluation</title>` +
    `<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}</style></head><body>` +
    `<h1>Recommender evaluation</h1><p>${escape(input.dataset)}: ${input.interactions} interactions, ${input.users} users, ${input.items} items · TF.js backend ${escape(input.backend)} · ${input.generatedAt.toISOString()}</p>` +
    `<p><code>${escape(input.command)}</code></p>` +
    sections.join('') +
    `</body></html>\n`
  );
}
