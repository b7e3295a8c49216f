import { type Env, envSchema } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Typed configuration, injected everywhere it is needed (the only reader of process.env).
 * Groups are plain readonly objects so consumers depend on the part they use.
 */
export class AppConfig {
  readonly env: Env['NODE_ENV'];
  readonly logLevel: Env['LOG_LEVEL'];
  readonly db: { url: string; poolMax: number };
  readonly redis: { url: string; prefix: string };
  readonly http: {
    host: string;
    apiPort: number;
    apiWorkers: number;
    workerPort: number;
    recommenderPort: number;
    publicUrl?: string;
    corsOrigins: string[];
    bodyLimitBytes: number;
    trustProxy: boolean;
  };
  readonly rateLimit: { windowMs: number; max: number; authMax: number };
  readonly auth: {
    accessSecret: string;
    refreshSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    operatorToken: string;
    scryptCost: number;
  };
  readonly outbox: {
    pollMs: number;
    batchSize: number;
    leaseMs: number;
    maxAttempts: number;
    retentionDays: number;
  };
  readonly worker: { heartbeatEveryMs: number };
  readonly ingest: { batchMax: number; batchInFlight: number };
  readonly drops: {
    holdExpiryPollMs: number;
    /** Per member and drop; the per-IP window is the API's general one (rateLimit). */
    reservationRate: { max: number; windowMs: number };
    /** `drop.stock` messages per second a room may be sent, across its viewers. */
    stockFanoutPerSecond: number;
  };
  readonly webhooks: { allowPrivateNetworks: boolean };
  readonly ml: { tfBackend: Env['TF_BACKEND']; recommenderUrl: string };

  constructor(env: Env) {
    this.env = env.NODE_ENV;
    this.logLevel = env.LOG_LEVEL;
    this.db = { url: env.DATABASE_URL, poolMax: env.DB_POOL_MAX };
    this.redis = { url: env.REDIS_URL, prefix: env.REDIS_PREFIX };
    this.http = {
      host: env.HOST,
      apiPort: env.API_PORT,
      apiWorkers: env.API_WORKERS,
      workerPort: env.WORKER_PORT,
      recommenderPort: env.RECOMMENDER_PORT,
      publicUrl: env.PUBLIC_URL,
      corsOrigins: env.CORS_ORIGINS,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      trustProxy: env.TRUST_PROXY,
    };
    this.rateLimit = {
      windowMs: env.RATE_LIMIT_WINDOW_MS,
      max: env.RATE_LIMIT_MAX,
      authMax: env.AUTH_RATE_LIMIT_MAX,
    };
    this.auth = {
      accessSecret: env.JWT_ACCESS_SECRET,
      refreshSecret: env.JWT_REFRESH_SECRET,
      accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: env.JWT_REFRESH_TTL_SECONDS,
      operatorToken: env.OPERATOR_TOKEN,
      scryptCost: env.SCRYPT_COST,
    };
    this.outbox = {
      pollMs: env.OUTBOX_POLL_MS,
      batchSize: env.OUTBOX_BATCH_SIZE,
      leaseMs: env.OUTBOX_LEASE_MS,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      retentionDays: env.OUTBOX_RETENTION_DAYS,
    };
    this.worker = { heartbeatEveryMs: env.HEARTBEAT_EVERY_MS };
    this.webhooks = {
      allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? env.NODE_ENV !== 'production',
    };
    this.ingest = { batchMax: env.ORDER_BATCH_MAX, batchInFlight: env.ORDER_BATCH_IN_FLIGHT };
    this.drops = {
      holdExpiryPollMs: env.DROP_HOLD_EXPIRY_POLL_MS,
      reservationRate: {
        max: env.DROP_RESERVATION_RATE_MAX,
        windowMs: env.DROP_RESERVATION_RATE_WINDOW_MS,
      },
      stockFanoutPerSecond: env.DROP_STOCK_FANOUT_PER_SECOND,
    };
    this.ml = {
      tfBackend: env.TF_BACKEND,
      // Without a trailing slash, so paths can be appended.
      recommenderUrl: env.RECOMMENDER_URL.replace(/\/+$/, ''),
    };
  }

  /** Parses an environment (process.env by default); throws ConfigError listing every problem. */
  static load(
    source: NodeJS.ProcessEnv = process.env,
    overrides: Partial<Record<keyof Env, string>> = {},
  ): AppConfig {
    const raw: Record<string, string | undefined> = { ...source, ...overrides };
    // An empty variable means "unset" so `FOO= npm start` falls back to the default.
    for (const key of Object.keys(raw)) if (raw[key] === '') delete raw[key];
    const parsed = envSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ConfigError(
        parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`),
      );
    }
    return new AppConfig(parsed.data);
  }
}
