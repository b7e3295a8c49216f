import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UseGuards,
  applyDecorators,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '@app/config';
import { RedisClient } from '@app/common';
import { ApiKeyAuth, parseApiKey } from '@app/identity';
import {
  RequestReplayedError,
  SignatureExpiredError,
  SignatureInvalidError,
  SignatureMissingError,
} from '../orders.errors';
import {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  signingKeyOf,
  verifySignature,
} from './storefront-signature';

/**
 * Second factor of a storefront request, after the API key guard: the `x-signature` HMAC over
 * timestamp, method, path and raw body (ADR 0008), within ±300 s, and never seen before — the
 * signature is remembered in Redis (`SET NX PX`) for the whole window, so a captured request
 * cannot be replayed. Fails with 401 before the body is validated or anything is written.
 */
@Injectable()
export class SignedStorefrontRequestGuard implements CanActivate {
  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { rawBody?: Buffer | string }>();
    // The API key guard ran first and authenticated this very key (a bearer token on an API-key
    // route is refused with 403 before we get here).
    const parsedKey = parseApiKey(String(request.headers['x-api-key'] ?? '').trim());
    if (!parsedKey) throw new SignatureInvalidError();
    const check = verifySignature({
      header: request.headers[SIGNATURE_HEADER],
      signingKey: signingKeyOf(parsedKey.secret),
      method: request.method,
      path: request.url,
      rawBody: request.rawBody,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (!check.ok) {
      if (check.reason === 'missing') throw new SignatureMissingError();
      if (check.reason === 'stale') throw new SignatureExpiredError();
      throw new SignatureInvalidError();
    }
    const key = `${this.config.redis.prefix}:sig:${parsedKey.prefix}:${check.signature}`;
    const first = await this.redis.set(
      key,
      '1',
      'PX',
      2 * SIGNATURE_TOLERANCE_SECONDS * 1000,
      'NX',
    );
    if (first !== 'OK') throw new RequestReplayedError();
    return true;
  }
}

/**
 * A storefront route: `x-api-key` (the API key guard) and a fresh `x-signature`. Unsigned, badly
 * signed, stale or replayed requests get 401 and the handler never runs.
 */
export const SignedStorefrontRequest = () =>
  applyDecorators(
    ApiKeyAuth(),
    UseGuards(SignedStorefrontRequestGuard),
    ApiHeader({
      name: SIGNATURE_HEADER,
      required: true,
      description:
        't=<unix seconds>,n=<nonce>,v1=<hex HMAC-SHA256(sha256hex(key secret), "<t>.<n>.<METHOD>.<path>.<sha256 hex of raw body>")>',
    }),
  );
