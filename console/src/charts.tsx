/** Small SVG charts: enough for KPI trends and comparisons without a chart library. */

export interface Point {
  label: string;
  value: number;
}

const W = 560;
const H = 180;
const PAD = 28;

function maxOf(values: number[]): number {
  const max = Math.max(0, ...values);
  return max === 0 ? 1 : max;
}

export function LineChart({
  title,
  points,
  format,
}: {
  title: string;
  points: Point[];
  format?: (v: number) => string;
}) {
  const max = maxOf(points.map((p) => p.value));
  const step = points.length > 1 ? (W - 2 * PAD) / (points.length - 1) : 0;
  const xy = points.map(
    (p, i) => [PAD + i * step, H - PAD - (p.value / max) * (H - 2 * PAD)] as const,
  );
  const path = xy
    .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`)
    .join(' ');
  const last = points.at(-1);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <p className="muted">No data in this window.</p>
      ) : (
        <svg
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={`${title}: ${points.length} points, latest ${last ? (format ?? String)(last.value) : ''}`}
        >
          <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="axis" />
          <text x={PAD} y={PAD - 8} className="tick">
            {(format ?? String)(max)}
          </text>
          <text x={PAD} y={H - 8} className="tick">
            {points[0].label}
          </text>
          <text x={W - PAD} y={H - 8} className="tick" textAnchor="end">
            {last?.label}
          </text>
          <path d={path} className="line" />
          {xy.map(([x, y], i) => (
            <circle key={points[i].label} cx={x} cy={y} r={2.5} className="dot">
              <title>{`${points[i].label}: ${(format ?? String)(points[i].value)}`}</title>
            </circle>
          ))}
        </svg>
      )}
    </figure>
  );
}

export interface Bar {
  label: string;
  value: number;
  /** CSS class for colour (e.g. treatment / holdout). */
  tone?: string;
}

export function BarChart({
  title,
  bars,
  format,
}: {
  title: string;
  bars: Bar[];
  format?: (v: number) => string;
}) {
  const max = maxOf(bars.map((b) => b.value));
  const slot = bars.length ? (W - 2 * PAD) / bars.length : 0;
  const fmt = format ?? String;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">No data in this window.</p>
      ) : (
        <svg
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={`${title}: ${bars.map((b) => `${b.label} ${fmt(b.value)}`).join(', ')}`}
        >
          <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="axis" />
          {bars.map((b, i) => {
            const h = (b.value / max) * (H - 2 * PAD - 12);
            const x = PAD + i * slot + slot * 0.15;
            return (
              <g key={`${b.label}-${i}`}>
                <rect
                  x={x}
                  y={H - PAD - h}
                  width={slot * 0.7}
                  height={h}
                  className={`bar ${b.tone ?? ''}`}
                >
                  <title>{`${b.label}: ${fmt(b.value)}`}</title>
                </rect>
                <text x={x + slot * 0.35} y={H - PAD - h - 4} className="tick" textAnchor="middle">
                  {fmt(b.value)}
                </text>
                <text x={x + slot * 0.35} y={H - 8} className="tick" textAnchor="middle">
                  {b.label}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
