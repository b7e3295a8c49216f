import { SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../dto/error.response.dto';
import { STAFF_ROLES, type StaffRole } from '../principal';
import { AUTH_POLICY, type AuthPolicy } from './auth-policy';
import { AuthGuard } from './auth.guard';
import { OperatorGuard } from './operator.guard';

/** Requires one of the principals of `policy`; 401 without valid credentials, 403 for others. */
export function Authenticated(policy: AuthPolicy) {
  const decorators = [
    SetMetadata(AUTH_POLICY, policy),
    UseGuards(AuthGuard),
    ApiUnauthorizedResponse({
      description: 'Missing, expired or invalid credentials',
      type: ErrorResponseDto,
    }),
    ApiForbiddenResponse({
      description: 'Credentials of a type or role this route does not admit',
      type: ErrorResponseDto,
    }),
  ];
  if (policy.member || policy.staff?.length) decorators.push(ApiBearerAuth('jwt'));
  if (policy.apiKey) decorators.push(ApiSecurity('api-key'));
  return applyDecorators(...decorators);
}

/** A member of the brand (JWT). */
export const MemberAuth = () => Authenticated({ member: true });

/** A staff user of the brand (JWT) with one of `roles` (any role when none is given). */
export const StaffAuth = (...roles: StaffRole[]) =>
  Authenticated({ staff: roles.length ? roles : STAFF_ROLES });

/** A storefront of the brand (`x-api-key`). */
export const ApiKeyAuth = () => Authenticated({ apiKey: true });

/** The platform operator (`x-operator-token`). */
export const OperatorAuth = () =>
  applyDecorators(
    UseGuards(OperatorGuard),
    ApiSecurity('operator'),
    ApiUnauthorizedResponse({
      description: 'Missing or wrong operator token',
      type: ErrorResponseDto,
    }),
  );
