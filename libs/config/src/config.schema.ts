import { z } from 'zod';

const DEV_ONLY_SECRET = 'dev-only-secret-change-me-0123456789abcdef';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/**
 * The single source of environment configuration. Every variable has a safe local default so a
 * newcomer can run `npm start` with nothing set; production refuses the development secrets.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),

    DATABASE_URL: z
      .string()
      .url()
      .refine((url) => /^postgres(ql)?:\/\//.test(url), 'must be a postgres:// URL')
      .default('postgres://postgres@127.0.0.1:5432/loyalty'),
    DB_POOL_MAX: positiveInt.default(10),
    REDIS_URL: z
      .string()
      .url()
      .refine((url) => /^rediss?:\/\//.test(url), 'must be a redis:// URL')
      .default('redis://127.0.0.1:6379'),
    /** Prefix for every Redis key and bull queue, so several deployments (or test runs) can share one Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]+$/i)
      .default('loyalty'),

    HOST: z.string().default('127.0.0.1'),
    API_PORT: port.default(3000),
    /** api processes sharing API_PORT (node:cluster); sockets are websocket-only above 1 (ADR 0023). */
    API_WORKERS: positiveInt.default(1),
    WORKER_PORT: port.default(3001),
    RECOMMENDER_PORT: port.default(3002),
    PUBLIC_URL: z.string().url().optional(),
    /** Where the api reaches the recommender (staff recommendations are proxied there, ADR 0020). */
    RECOMMENDER_URL: z
      .string()
      .url()
      .refine((url) => /^https?:\/\//.test(url), 'must be an http(s):// URL')
      .default('http://127.0.0.1:3002'),

    JWT_ACCESS_SECRET: z.string().min(32).default(DEV_ONLY_SECRET),
    JWT_REFRESH_SECRET: z.string().min(32).default(`${DEV_ONLY_SECRET}-refresh`),
    JWT_ACCESS_TTL_SECONDS: positiveInt.default(900),
    JWT_REFRESH_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
    /** Shared secret of the platform operator (creates brands). */
    OPERATOR_TOKEN: z.string().min(24).default(`${DEV_ONLY_SECRET}-operator`),

    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      ),
    BODY_LIMIT_BYTES: positiveInt.default(256 * 1024),
    RATE_LIMIT_WINDOW_MS: positiveInt.default(60_000),
    RATE_LIMIT_MAX: positiveInt.default(600),
    AUTH_RATE_LIMIT_MAX: positiveInt.default(20),
    TRUST_PROXY: bool.default('false'),
    /** Webhook endpoints on private/loopback addresses: default allowed outside production only. */
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.optional(),

    OUTBOX_POLL_MS: positiveInt.default(250),
    OUTBOX_BATCH_SIZE: positiveInt.default(100),
    OUTBOX_LEASE_MS: positiveInt.default(30_000),
    OUTBOX_MAX_ATTEMPTS: positiveInt.default(12),
    /** Delivered outbox messages and consumer inbox rows are deleted after this many days. */
    OUTBOX_RETENTION_DAYS: positiveInt.default(7),
    HEARTBEAT_EVERY_MS: positiveInt.default(30_000),

    /** Group commit of order ingestion (docs/adr/0012): orders per transaction, transactions at once. */
    ORDER_BATCH_MAX: positiveInt.default(100),
    ORDER_BATCH_IN_FLIGHT: positiveInt.default(1),
    /** The worker expires due drop holds this often (docs/adr/0014). */
    DROP_HOLD_EXPIRY_POLL_MS: positiveInt.default(1000),
    /** Reservation attempts per member per drop and window (a human clicking fast is far below). */
    DROP_RESERVATION_RATE_MAX: positiveInt.default(20),
    DROP_RESERVATION_RATE_WINDOW_MS: positiveInt.default(10_000),
    /** `drop.stock` messages per second a room may be sent in all (docs/adr/0025). */
    DROP_STOCK_FANOUT_PER_SECOND: positiveInt.default(10_000),

    /** TensorFlow.js backend: `auto` tries tfjs-node, then wasm, then cpu (see docs/adr/0004). */
    TF_BACKEND: z.enum(['auto', 'node', 'wasm', 'cpu']).default('auto'),

    SCRYPT_COST: positiveInt
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two')
      .default(16384),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const key of ['JWT_ACCESS_SECRET', 'JWT_REFRESH_SECRET', 'OPERATOR_TOKEN'] as const) {
      if (env[key].startsWith(DEV_ONLY_SECRET)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [key],
          message: 'must be set to a real secret in production',
        });
      }
    }
    if (env.JWT_ACCESS_SECRET === env.JWT_REFRESH_SECRET) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['JWT_REFRESH_SECRET'],
        message: 'must differ from JWT_ACCESS_SECRET',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;
