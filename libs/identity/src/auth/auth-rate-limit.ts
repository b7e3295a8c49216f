import { Inject, Injectable } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { AppConfig } from '@app/config';

/**
 * The stricter limit of credential endpoints (login, sign-up, refresh). `@Throttle` is evaluated
 * when the controller class is loaded, before any config exists, so it gets resolver functions
 * that read the values this provider copies from AppConfig when the module is instantiated (one
 * api app per process; tests get one per file). Until then the config defaults apply.
 */
const current = { limit: 20, ttlMs: 60_000 };

@Injectable()
export class AuthRateLimit {
  constructor(@Inject(AppConfig) config: AppConfig) {
    current.limit = config.rateLimit.authMax;
    current.ttlMs = config.rateLimit.windowMs;
  }
}

/** Applies the auth rate limit (per client IP and route) to a handler or controller. */
export const AuthThrottle = () =>
  Throttle({ default: { limit: () => current.limit, ttl: () => current.ttlMs } });
