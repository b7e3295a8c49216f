import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-operator-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.apiKey',
];

/**
 * Probes scraped every few seconds skip the logging middleware entirely: their lines would drown
 * the useful ones, and a per-request child logger is a large share of a cheap request's CPU.
 */
export const UNLOGGED_ROUTES = ['health', 'ready', 'metrics'];

/**
 * pino JSON logs with secrets redacted. Every line logged during a request carries `req.id` (the
 * request id, also echoed as `x-request-id`).
 */
export function loggerOptions(level: string, app: string): Params {
  return {
    exclude: UNLOGGED_ROUTES.map((path) => ({ method: RequestMethod.ALL, path })),
    pinoHttp: {
      level,
      base: { app },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
