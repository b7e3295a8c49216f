import { ErrorKind } from '@app/common';
import { IdentityErrorCode } from '../identity.errors';
import type { Principal } from '../principal';
import { type AuthPolicy, authorize } from './auth-policy';

const member: Principal = { type: 'member', brandId: 'b', id: 'm' };
const owner: Principal = { type: 'staff', brandId: 'b', id: 's', role: 'owner' };
const moderator: Principal = { type: 'staff', brandId: 'b', id: 's', role: 'moderator' };
const apiKey: Principal = { type: 'api-key', brandId: 'b', id: 'k' };

function outcome(policy: AuthPolicy, principal: Principal): string {
  try {
    authorize(policy, principal);
    return 'allowed';
  } catch (error) {
    const { code, kind } = error as { code: string; kind: ErrorKind };
    expect(kind).toBe(ErrorKind.Forbidden);
    return code;
  }
}

describe('authorize', () => {
  it('admits only the principal types of the policy', () => {
    const membersOnly = { member: true };
    expect(outcome(membersOnly, member)).toBe('allowed');
    expect(outcome(membersOnly, owner)).toBe(IdentityErrorCode.PrincipalNotAllowed);
    expect(outcome(membersOnly, apiKey)).toBe(IdentityErrorCode.PrincipalNotAllowed);
    expect(outcome({ apiKey: true }, apiKey)).toBe('allowed');
    expect(outcome({ apiKey: true }, member)).toBe(IdentityErrorCode.PrincipalNotAllowed);
  });

  it('checks staff roles', () => {
    const ownersOnly = { staff: ['owner'] as const };
    expect(outcome(ownersOnly, owner)).toBe('allowed');
    expect(outcome(ownersOnly, moderator)).toBe(IdentityErrorCode.InsufficientRole);
    expect(outcome(ownersOnly, member)).toBe(IdentityErrorCode.PrincipalNotAllowed);
    expect(outcome({ staff: [] }, owner)).toBe(IdentityErrorCode.PrincipalNotAllowed);
    expect(outcome({ member: true, staff: ['moderator', 'owner'] }, moderator)).toBe('allowed');
  });
});
