/** Cap of the retry delay: a failing consumer is retried at least every 15 minutes. */
export const MAX_RETRY_DELAY_MS = 15 * 60_000;

/**
 * Delay before retrying a message whose `attempts`-th delivery failed: min(2^attempts s, 15 min)
 * with "equal jitter" (uniform in [d/2, d]) so a burst of failures does not retry in lockstep.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts, 0), 30);
  const ceiling = Math.min(2 ** exponent * 1000, MAX_RETRY_DELAY_MS);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Longest `last_error` kept, so a huge stack or response body cannot bloat the table. */
export const MAX_ERROR_LENGTH = 2000;

export function truncateError(message: string, max = MAX_ERROR_LENGTH): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}
