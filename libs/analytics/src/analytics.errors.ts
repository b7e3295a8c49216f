import { ValidationError } from '@app/common';

/** Stable error codes of analytics. */
export enum AnalyticsErrorCode {
  InvalidRange = 'analytics.invalid_range',
}

/** `from` must be before `to`, and the window at most MAX_RANGE_DAYS long. */
export class InvalidRangeError extends ValidationError {
  constructor(reason: string) {
    super(
      `Invalid date range: ${reason}`,
      { fields: { from: [reason] } },
      AnalyticsErrorCode.InvalidRange,
    );
  }
}
