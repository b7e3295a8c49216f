import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '@app/config';
import { constantTimeEqual } from '../crypto/constant-time';
import { InvalidOperatorTokenError } from '../identity.errors';

export const OPERATOR_TOKEN_HEADER = 'x-operator-token';

/** Admits the platform operator: the `x-operator-token` header, compared in constant time. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const presented = context.switchToHttp().getRequest<FastifyRequest>().headers[
      OPERATOR_TOKEN_HEADER
    ];
    if (
      typeof presented !== 'string' ||
      !constantTimeEqual(presented, this.config.auth.operatorToken)
    ) {
      throw new InvalidOperatorTokenError();
    }
    return true;
  }
}
