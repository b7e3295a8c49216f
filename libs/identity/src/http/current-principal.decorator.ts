import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthenticationRequiredError } from '../identity.errors';
import type { Principal } from '../principal';
import { getRequestPrincipal } from './request-principal';

/**
 * The authenticated caller `{ type, brandId, id, role? }`, set by the auth guard. Annotate the
 * parameter with the narrow type the route's decorator guarantees (e.g. `StaffPrincipal`).
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = getRequestPrincipal(context.switchToHttp().getRequest<FastifyRequest>());
    if (!principal) throw new AuthenticationRequiredError();
    return principal;
  },
);

/** The request id (also in the `x-request-id` response header and every log line). */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  String(context.switchToHttp().getRequest<FastifyRequest>().id),
);
