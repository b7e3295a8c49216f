import { MAX_RANGE_DAYS, ratio, resolveRange, round4, uplift } from './analytics-maths';

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
