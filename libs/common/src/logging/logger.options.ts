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

/** Probes scraped every few seconds: logging them drowns the useful lines. */
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

/** pino JSON logs with secrets redacted and the request id bound to every line of a request. */
export function loggerOptions(level: string, app: string): Params {
  return {
    pinoHttp: {
      level,
      base: { app },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      customProps: (req) => ({ requestId: (req as { id?: unknown }).id }),
      // Middleware sees a mount-relative req.url; originalUrl is the path the client asked for.
      autoLogging: {
        ignore: (req) =>
          QUIET_PATHS.has(
            ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0],
          ),
      },
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
