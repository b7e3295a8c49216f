import {
  MAX_ERROR_LENGTH,
  MAX_RETRY_DELAY_MS,
  retryDelayMs,
  truncateError,
} from './outbox.backoff';

describe('retryDelayMs', () => {
  it('doubles per attempt with equal jitter in [d/2, d]', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1000);
    expect(retryDelayMs(1, () => 1)).toBe(2000);
    expect(retryDelayMs(3, () => 0)).toBe(4000);
    expect(retryDelayMs(3, () => 1)).toBe(8000);
    expect(retryDelayMs(5, () => 0.5)).toBe(24_000);
  });

  it('is capped at 15 minutes however many attempts failed', () => {
    expect(retryDelayMs(10, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(10_000, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(10_000, () => 0)).toBe(MAX_RETRY_DELAY_MS / 2);
  });

  it('spreads retries of the same attempt', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(8000);
      expect(delay).toBeLessThanOrEqual(16_000);
    }
  });
});

describe('truncateError', () => {
  it('keeps short errors and cuts long ones to the limit', () => {
    expect(truncateError('boom')).toBe('boom');
    const cut = truncateError('x'.repeat(10_000));
    expect(cut).toHaveLength(MAX_ERROR_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
  });
});
