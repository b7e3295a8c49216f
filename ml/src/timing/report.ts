import type { HoldoutEvaluation } from './evaluate';

/** Candidates scored on the holdout window, in display order. */
export const WINDOW_MODELS = ['hazard', 'bgnbd', 'mbgnbd', 'recency'] as const;

const LABELS: Record<string, string> = {
  hazard: 'TF.js hazard',
  bgnbd: 'BG/NBD',
  mbgnbd: 'MBG/NBD',
  recency: 'Recency only',
};

const COLOURS: Record<string, string> = {
  actual: '#111',
  hazard: '#d62728',
  bgnbd: '#1f77b4',
  mbgnbd: '#2ca02c',
  recency: '#ff7f0e',
};

/** The window model a service would serve: lowest Brier (AUC breaks ties), as trainTimingModel does. */
export function bestWindowModel(e: HoldoutEvaluation): string {
  return ['hazard', 'bgnbd', 'recency'].reduce((a, b) => {
    const sa = e.classification[a];
    const sb = e.classification[b];
    if (sa.brier !== sb.brier) return sa.brier < sb.brier ? a : b;
    return sa.auc >= sb.auc ? a : b;
  });
}

const f = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** Unconditional aggregate forecast of the holdout: tracking curve at the end minus at calibration end. */
export function unconditionalHoldout(e: HoldoutEvaluation, algorithm: 'bgnbd' | 'mbgnbd'): number {
  const last = e.tracking[e.tracking.length - 1];
  const atCalibration = e.tracking[Math.round(e.calibrationWeeks) - 1] ?? e.tracking[0];
  return last[algorithm] - atCalibration[algorithm];
}

/** Plain-text summary for the terminal. */
export function textReport(e: HoldoutEvaluation): string {
  const lines: string[] = [];
  const unit = e.unitDays === 7 ? 'weeks' : `${e.unitDays}-day units`;
  lines.push(
    `customers ${e.customers}; calibration repeat purchases ${e.calibrationRepeat}; time unit ${unit}`,
  );
  for (const [name, fit] of Object.entries(e.fits)) {
    const p = fit.params;
    lines.push(
      `${LABELS[name]}: r=${f(p.r)} alpha=${f(p.alpha)} a=${f(p.a)} b=${f(p.b)}  LL=${f(fit.logLikelihood, 1)}  (${fit.ms} ms, ${fit.iterations} iterations)`,
    );
  }
  if (e.gammaGamma) {
    const g = e.gammaGamma;
    lines.push(
      `Gamma-Gamma: p=${f(g.params.p)} q=${f(g.params.q)} gamma=${f(g.params.gamma)}  LL=${f(g.logLikelihood, 1)}  mean spend ${f(g.meanSpend, 2)} (${g.customers} repeat customers)`,
    );
  }
  lines.push(`holdout repeat purchases: actual ${e.holdoutActual}`);
  for (const [name, fc] of Object.entries(e.forecasts)) {
    lines.push(
      `  ${LABELS[name]}: Σ conditional E[Y] ${f(fc.predictedTotal, 1)}, unconditional (tracking) ${f(unconditionalHoldout(e, name as 'bgnbd'), 1)}; per customer r=${f(fc.correlation)} MAE=${f(fc.mae)} RMSE=${f(fc.rmse)}`,
    );
  }
  lines.push(`P(purchase within ${e.windowDays} days of the holdout start):`);
  for (const name of WINDOW_MODELS) {
    const s = e.classification[name];
    lines.push(
      `  ${LABELS[name].padEnd(13)} AUC ${f(s.auc)}  Brier ${f(s.brier, 5)}  log-loss ${f(s.logLoss, 4)}`,
    );
  }
  const positives = e.classification.bgnbd.positives;
  lines.push(
    `  (${positives} of ${e.customers} bought; hazard trained on ${e.hazard.examples} examples in ${e.hazard.ms} ms)`,
  );
  lines.push(`served (lowest Brier): ${LABELS[bestWindowModel(e)]}`);
  return lines.join('\n');
}

/** Markdown table rows for BENCHMARKS.md. */
export function markdownReport(e: HoldoutEvaluation, command: string): string {
  const rows = WINDOW_MODELS.map((name) => {
    const s = e.classification[name];
    return `| ${LABELS[name]} | ${f(s.auc)} | ${f(s.brier, 5)} | ${f(s.logLoss, 4)} |`;
  });
  const bg = e.fits.bgnbd;
  return [
    `Command: \`${command}\``,
    '',
    `BG/NBD r=${f(bg.params.r)}, α=${f(bg.params.alpha)}, a=${f(bg.params.a)}, b=${f(bg.params.b)}, LL=${f(bg.logLikelihood, 1)}; ` +
      `holdout repeat purchases actual ${e.holdoutActual}, BG/NBD Σ conditional ${f(e.forecasts.bgnbd.predictedTotal, 0)}, ` +
      `unconditional ${f(unconditionalHoldout(e, 'bgnbd'), 0)}; per-customer r=${f(e.forecasts.bgnbd.correlation)}.`,
    '',
    `| ${e.windowDays}-day purchase probability | AUC | Brier | log-loss |`,
    '| --- | ---: | ---: | ---: |',
    ...rows,
    '',
    `Served by validation (lowest Brier): **${LABELS[bestWindowModel(e)]}**.`,
  ].join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Series {
  name: string;
  colour: string;
  points: [number, number][];
  dashed?: boolean;
  markers?: boolean;
}

/** A small self-contained SVG line chart. */
function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  series: Series[],
  options: { xMax?: number; yMax?: number; vLine?: number } = {},
): string {
  const width = 640;
  const height = 360;
  const m = { left: 60, right: 150, top: 30, bottom: 45 };
  const all = series.flatMap((s) => s.points);
  const xMax = options.xMax ?? Math.max(...all.map((p) => p[0]));
  const yMax = options.yMax ?? Math.max(...all.map((p) => p[1])) * 1.05;
  const x = (v: number) => m.left + (v / xMax) * (width - m.left - m.right);
  const y = (v: number) => height - m.bottom - (v / yMax) * (height - m.top - m.bottom);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<text x="${width / 2 - 60}" y="18" font-weight="bold">${escape(title)}</text>`);
  parts.push(`<line x1="${m.left}" y1="${y(0)}" x2="${x(xMax)}" y2="${y(0)}" stroke="#888"/>`);
  parts.push(`<line x1="${m.left}" y1="${y(0)}" x2="${m.left}" y2="${y(yMax)}" stroke="#888"/>`);
  for (let i = 0; i <= 5; i++) {
    const xv = (xMax * i) / 5;
    const yv = (yMax * i) / 5;
    const yText = yMax < 2 ? yv.toFixed(2) : Math.round(yv).toString();
    parts.push(
      `<text x="${x(xv) - 10}" y="${y(0) + 16}">${xMax < 2 ? xv.toFixed(1) : Math.round(xv)}</text>`,
    );
    parts.push(`<text x="${m.left - 45}" y="${y(yv) + 4}">${yText}</text>`);
  }
  parts.push(`<text x="${width / 2 - 70}" y="${height - 8}">${escape(xLabel)}</text>`);
  parts.push(`<text x="12" y="${m.top - 8}">${escape(yLabel)}</text>`);
  if (options.vLine !== undefined)
    parts.push(
      `<line x1="${x(options.vLine)}" y1="${y(0)}" x2="${x(options.vLine)}" y2="${y(yMax)}" stroke="#bbb" stroke-dasharray="4 3"/>`,
    );
  series.forEach((s, i) => {
    const d = s.points
      .map((p, j) => `${j ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`)
      .join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    if (s.markers)
      for (const p of s.points)
        parts.push(
          `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="3" fill="${s.colour}"/>`,
        );
    const ly = m.top + 10 + i * 18;
    parts.push(
      `<line x1="${width - m.right + 15}" y1="${ly}" x2="${width - m.right + 40}" y2="${ly}" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(`<text x="${width - m.right + 45}" y="${ly + 4}">${escape(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Self-contained HTML: summary, tracking plot and calibration (reliability) plot. */
export function htmlReport(e: HoldoutEvaluation, title: string): string {
  const tracking = lineChart(
    'Cumulative repeat purchases: actual vs predicted',
    'week',
    'repeat purchases',
    [
      { name: 'actual', colour: COLOURS.actual, points: e.tracking.map((t) => [t.week, t.actual]) },
      {
        name: 'BG/NBD',
        colour: COLOURS.bgnbd,
        dashed: true,
        points: e.tracking.map((t) => [t.week, t.bgnbd]),
      },
      {
        name: 'MBG/NBD',
        colour: COLOURS.mbgnbd,
        dashed: true,
        points: e.tracking.map((t) => [t.week, t.mbgnbd]),
      },
    ],
    { vLine: e.calibrationWeeks },
  );
  const calibration = lineChart(
    `Calibration: P(purchase within ${e.windowDays} days)`,
    'mean predicted probability',
    'observed frequency',
    [
      {
        name: 'perfect',
        colour: '#ccc',
        points: [
          [0, 0],
          [1, 1],
        ],
      },
      ...WINDOW_MODELS.map((name) => ({
        name: LABELS[name],
        colour: COLOURS[name],
        markers: true,
        points: e.reliability[name].map(
          (b) => [b.meanPredicted, b.observedRate] as [number, number],
        ),
      })),
    ],
    { xMax: 1, yMax: 1 },
  );
  const rows = WINDOW_MODELS.map((name) => {
    const s = e.classification[name];
    return `<tr><td>${LABELS[name]}</td><td>${f(s.auc)}</td><td>${f(s.brier, 5)}</td><td>${f(s.logLoss, 4)}</td></tr>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}td:first-child{text-align:left}pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}</style>
</head><body>
<h1>${escape(title)}</h1>
<pre>${escape(textReport(e))}</pre>
<h2>${e.windowDays}-day purchase probability on the holdout</h2>
<table><tr><th>model</th><th>AUC</th><th>Brier</th><th>log-loss</th></tr>
${rows}
</table>
<h2>Tracking plot</h2>
${tracking}
<h2>Calibration plot</h2>
${calibration}
</body></html>
`;
}
