import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { setRequestPrincipal } from '../http/request-principal';
import { AuthenticationRequiredError, InvalidTokenError } from '../identity.errors';
import type { Principal } from '../principal';
import { type AuthPolicy, authorize } from './auth-policy';
import { AuthService } from './auth.service';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Authenticates a request's bearer JWT (member or staff) or `x-api-key` header, then applies a
 * policy: no or bad credentials → 401, a principal the policy does not admit → 403. A bearer
 * token wins when both are sent. Used by AuthGuard and by routes registered on Fastify directly.
 */
@Injectable()
export class HttpAuthenticator {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(ApiKeysService) private readonly apiKeys: ApiKeysService,
  ) {}

  async authenticate(request: FastifyRequest, policy: AuthPolicy): Promise<Principal> {
    const principal = await this.principalOf(request);
    authorize(policy, principal);
    setRequestPrincipal(request, principal);
    return principal;
  }

  private async principalOf(request: FastifyRequest): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization) {
      const match = BEARER.exec(authorization);
      if (!match)
        throw new InvalidTokenError('Authorization header must be "Bearer <access token>"');
      return (await this.auth.authenticateAccessToken(match[1])).principal;
    }
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) return this.apiKeys.authenticate(apiKey);
    throw new AuthenticationRequiredError();
  }
}
