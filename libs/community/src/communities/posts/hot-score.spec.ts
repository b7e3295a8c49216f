import { HOT_DECAY_SECONDS, engagement, hotScore } from './hot-score';

describe('hotScore', () => {
  const t0 = new Date('2026-01-01T00:00:00.000Z');
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it('is the age term alone without engagement (log10(1) = 0)', () => {
    expect(hotScore(0, 0, t0)).toBe(t0.getTime() / 1000 / HOT_DECAY_SECONDS);
  });

  it('weighs a comment as two reactions', () => {
    expect(engagement(3, 2)).toBe(7);
    expect(hotScore(2, 0, t0)).toBeCloseTo(hotScore(0, 1, t0), 12);
  });

  it('adds one per tenfold engagement', () => {
    expect(hotScore(100, 0, t0) - hotScore(10, 0, t0)).toBeCloseTo(1, 12);
    expect(hotScore(10, 0, t0) - hotScore(1, 0, t0)).toBeCloseTo(1, 12);
  });

  it('ranks a post 12.5 h younger level with one that has ten times its engagement', () => {
    expect(hotScore(1, 0, later(HOT_DECAY_SECONDS))).toBeCloseTo(hotScore(10, 0, t0), 9);
    expect(hotScore(0, 0, later(60))).toBeGreaterThan(hotScore(0, 0, t0));
  });

  it('never goes below the age term (negative or zero engagement counts as 1)', () => {
    expect(hotScore(0, 0, t0)).toBe(hotScore(-5, 0, t0));
  });
});
