import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AUTH_POLICY, type AuthPolicy } from './auth-policy';
import { HttpAuthenticator } from './http-authenticator';

/**
 * Applies the route's auth policy through HttpAuthenticator. Use through @MemberAuth /
 * @StaffAuth / @ApiKeyAuth / @Authenticated.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(HttpAuthenticator) private readonly authenticator: HttpAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy)
      throw new Error(`AuthGuard on ${context.getClass().name} without an auth policy decorator`);
    await this.authenticator.authenticate(
      context.switchToHttp().getRequest<FastifyRequest>(),
      policy,
    );
    return true;
  }
}
