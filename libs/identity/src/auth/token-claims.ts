import type { MemberPrincipal, StaffPrincipal, StaffRole } from '../principal';
import { STAFF_ROLES } from '../principal';

/** Audiences keep the two token kinds apart even if both secrets were ever configured equal. */
export const ACCESS_AUDIENCE = 'loyalty:access';
export const REFRESH_AUDIENCE = 'loyalty:refresh';
export const TOKEN_ISSUER = 'loyalty-platform';

/** Who a token is about: a member or a staff user (with the role at issue time). */
export type TokenSubject = MemberPrincipal | StaffPrincipal;
export type SubjectType = TokenSubject['type'];

export interface AccessClaims {
  sub: string;
  brandId: string;
  typ: SubjectType;
  role?: StaffRole;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export interface RefreshClaims {
  sub: string;
  brandId: string;
  typ: SubjectType;
  /** Family: every token rotated from one login. */
  fam: string;
  /** The refresh token row id. */
  jti: string;
  exp: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
const isRole = (value: unknown): value is StaffRole =>
  typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Custom claims of an access token (`sub`, `exp`, `aud`, `iss` are set by the signer). */
export function accessTokenPayload(subject: TokenSubject): Record<string, string> {
  return subject.type === 'staff'
    ? { brandId: subject.brandId, typ: 'staff', role: subject.role }
    : { brandId: subject.brandId, typ: 'member' };
}

/**
 * Checks the shape of a verified access token. A signature proves who issued a token, not that
 * its claims make sense to this version of the code, so anything unexpected is rejected.
 */
export function parseAccessClaims(payload: unknown): AccessClaims | null {
  if (!isRecord(payload)) return null;
  const { sub, brandId, typ, role, exp } = payload;
  if (!isUuid(sub) || !isUuid(brandId) || typeof exp !== 'number') return null;
  if (typ === 'member') return role === undefined ? { sub, brandId, typ, exp } : null;
  if (typ === 'staff') return isRole(role) ? { sub, brandId, typ, role, exp } : null;
  return null;
}

export function parseRefreshClaims(payload: unknown): RefreshClaims | null {
  if (!isRecord(payload)) return null;
  const { sub, brandId, typ, fam, jti, exp } = payload;
  if (!isUuid(sub) || !isUuid(brandId) || !isUuid(fam) || !isUuid(jti) || typeof exp !== 'number') {
    return null;
  }
  return typ === 'member' || typ === 'staff' ? { sub, brandId, typ, fam, jti, exp } : null;
}

export function principalFromAccessClaims(claims: AccessClaims): TokenSubject {
  return claims.typ === 'staff'
    ? { type: 'staff', brandId: claims.brandId, id: claims.sub, role: claims.role as StaffRole }
    : { type: 'member', brandId: claims.brandId, id: claims.sub };
}
