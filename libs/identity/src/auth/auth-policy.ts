import { InsufficientRoleError, PrincipalNotAllowedError } from '../identity.errors';
import type { Principal, StaffRole } from '../principal';

/** Which callers a route admits; anything else authenticated is refused with 403. */
export interface AuthPolicy {
  member?: boolean;
  /** Staff roles admitted (an empty list admits no staff). */
  staff?: readonly StaffRole[];
  apiKey?: boolean;
}

export const AUTH_POLICY = 'identity:auth-policy';

/** Throws 403 when an authenticated principal is of a type or role the route does not admit. */
export function authorize(policy: AuthPolicy, principal: Principal): void {
  switch (principal.type) {
    case 'member':
      if (!policy.member) throw new PrincipalNotAllowedError('member');
      return;
    case 'staff':
      if (!policy.staff?.length) throw new PrincipalNotAllowedError('staff');
      if (!policy.staff.includes(principal.role)) throw new InsufficientRoleError();
      return;
    case 'api-key':
      if (!policy.apiKey) throw new PrincipalNotAllowedError('API key');
      return;
  }
}
