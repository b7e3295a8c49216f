import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { setRequestPrincipal } from '../http/request-principal';
import { AuthenticationRequiredError, InvalidTokenError } from '../identity.errors';
import type { Principal } from '../principal';
import { AUTH_POLICY, type AuthPolicy, authorize } from './auth-policy';
import { AuthService } from './auth.service';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Authenticates a bearer JWT (member or staff) or an `x-api-key` header, then applies the route's
 * policy: no or bad credentials → 401, a principal the route does not admit → 403. A bearer token
 * wins when both are sent. Use through @MemberAuth / @StaffAuth / @ApiKeyAuth / @Authenticated.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(ApiKeysService) private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy)
      throw new Error(`AuthGuard on ${context.getClass().name} without an auth policy decorator`);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.authenticate(request);
    authorize(policy, principal);
    setRequestPrincipal(request, principal);
    return true;
  }

  private async authenticate(request: FastifyRequest): Promise<Principal> {
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
