import { evaluateHoldout } from './evaluate';
import { bestWindowModel, htmlReport, markdownReport, textReport } from './report';
import { parseDay, parseTransactions, toHistories } from './transactions';

/** A small `customer,date,amount` CSV: regular buyers, some of whom stop. */
function syntheticCsv(customers: number): string {
  let seed = 9;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const lines = ['customer,date,amount'];
  const start = parseDay('2025-01-01');
  for (let c = 0; c < customers; c++) {
    const gap = 5 + Math.floor(rand() * 50);
    const stop = start + Math.floor(rand() * 700);
    for (let day = start + Math.floor(rand() * 60); day < start + 540 && day < stop; day += gap) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      lines.push(`c${c},${iso},${(10 + rand() * 90).toFixed(2)}`);
    }
  }
  return lines.join('\n');
}

describe('timing evaluation and report', () => {
  it('parses CSV and CDNOW rows, merging same-day purchases', () => {
    const csv = parseTransactions(
      'customer,date,amount\na,2025-01-01,10\na,2025-01-01,5\nb,2025-01-03,7',
    );
    expect(toHistories(csv)).toEqual([
      { customer: 'a', days: [parseDay('2025-01-01')], amounts: [15] },
      { customer: 'b', days: [parseDay('2025-01-03')], amounts: [7] },
    ]);
    const cdnow = parseTransactions(
      ' 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73',
    );
    expect(cdnow[1]).toEqual({ customer: '00004', day: parseDay('1997-01-18'), amount: 29.73 });
    expect(() => parseTransactions('who,when\nx,2025-01-01')).toThrow(/header/);
  });

  it('evaluates every model on a holdout and writes a self-contained HTML report', async () => {
    const histories = toHistories(parseTransactions(syntheticCsv(120)));
    const evaluation = await evaluateHoldout(histories, {
      calibrationEnd: parseDay('2025-10-01'),
      holdoutEnd: parseDay('2026-03-31'),
      epochs: 1,
      cutoffs: 2,
    });
    const calibrationEnd = parseDay('2025-10-01');
    expect(evaluation.customers).toBe(histories.filter((h) => h.days[0] <= calibrationEnd).length);
    expect(evaluation.holdoutActual).toBeGreaterThan(0);
    expect(Object.keys(evaluation.classification).sort()).toEqual([
      'bgnbd',
      'hazard',
      'mbgnbd',
      'recency',
    ]);
    expect(evaluation.tracking.at(-1)!.actual).toBe(
      histories.reduce(
        (n, h) => n + h.days.filter((d) => d <= parseDay('2026-03-31')).length - 1,
        0,
      ),
    );
    expect(['hazard', 'bgnbd', 'recency']).toContain(bestWindowModel(evaluation));
    const html = htmlReport(evaluation, 'synthetic <brand>');
    expect(html).toContain('synthetic &lt;brand&gt;');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(textReport(evaluation)).toContain(`actual ${evaluation.holdoutActual}`);
    expect(markdownReport(evaluation, 'npm run ml:timing')).toContain('| TF.js hazard |');
  });
});
