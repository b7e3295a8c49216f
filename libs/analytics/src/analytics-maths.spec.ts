import {
  MAX_RANGE_DAYS,
  ratio,
  resolveRange,
  round4,
  splitWindow,
  wholeMonths,
  uplift,
} from './analytics-maths';

describe('analytics maths', () => {
  const now = new Date('2026-03-01T00:00:00Z');

  it('gives null for a rate over nothing and rounds to 4 decimals', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, 3)).toBeCloseTo(0.3333, 4);
    expect(round4(1 / 3)).toBe(0.3333);
    expect(round4(null)).toBeNull();
  });

  it('defaults to the last 90 days and refuses empty, reversed or too long windows', () => {
    expect(resolveRange(now)).toEqual({
      range: { from: new Date('2025-12-01T00:00:00Z'), to: now },
    });
    expect(resolveRange(now, now, now)).toEqual({ error: 'from must be before to' });
    expect(resolveRange(now, new Date('2026-04-01T00:00:00Z'))).toEqual({
      error: 'from must be before to',
    });
    const tooLong = new Date(now.getTime() - (MAX_RANGE_DAYS + 1) * 86_400_000);
    expect(resolveRange(now, tooLong)).toHaveProperty('error');
  });

  it('measures uplift as the difference of conversion rates', () => {
    expect(uplift({ members: 10, converted: 4 }, { members: 5, converted: 1 })).toBeCloseTo(0.2);
    expect(uplift({ members: 10, converted: 4 }, { members: 0, converted: 0 })).toBeNull();
  });
});

describe('splitWindow', () => {
  const at = (iso: string) => new Date(iso);

  it('reads whole rolled-up days from rollups and the partial edges live', () => {
    const range = { from: at('2026-01-01T10:00:00Z'), to: at('2026-03-10T15:30:00Z') };
    expect(splitWindow(range, '2026-03-10')).toEqual({
      rolled: { from: '2026-01-02', to: '2026-03-10' },
      live: [
        { from: range.from, to: at('2026-01-02T00:00:00Z') },
        { from: at('2026-03-10T00:00:00Z'), to: range.to },
      ],
    });
  });

  it('keeps aligned edges out of the live slices and stops at the rollup boundary', () => {
    const range = { from: at('2026-01-01T00:00:00Z'), to: at('2026-03-01T00:00:00Z') };
    expect(splitWindow(range, '2026-04-01')).toEqual({
      rolled: { from: '2026-01-01', to: '2026-03-01' },
      live: [],
    });
    expect(splitWindow(range, '2026-02-01')).toEqual({
      rolled: { from: '2026-01-01', to: '2026-02-01' },
      live: [{ from: at('2026-02-01T00:00:00Z'), to: range.to }],
    });
  });

  it('is all live without rollups or without a whole rolled-up day', () => {
    const range = { from: at('2026-01-01T10:00:00Z'), to: at('2026-01-02T10:00:00Z') };
    expect(splitWindow(range, null)).toEqual({ rolled: null, live: [range] });
    expect(splitWindow(range, '2026-03-01')).toEqual({ rolled: null, live: [range] });
    const late = { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-05T00:00:00Z') };
    expect(splitWindow(late, '2026-02-01')).toEqual({ rolled: null, live: [late] });
  });
});

describe('wholeMonths', () => {
  it('finds the calendar months a range of days covers entirely', () => {
    expect(wholeMonths('2026-01-01', '2026-03-01')).toEqual({
      from: '2026-01-01',
      to: '2026-03-01',
    });
    expect(wholeMonths('2025-12-15', '2026-03-10')).toEqual({
      from: '2026-01-01',
      to: '2026-03-01',
    });
    expect(wholeMonths('2026-01-02', '2026-02-28')).toBeNull();
    expect(wholeMonths('2026-01-02', '2026-02-01')).toBeNull();
  });
});
