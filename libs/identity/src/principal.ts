import { staffRole } from '@app/db';

/** Staff roles, in the order of the database enum. */
export const STAFF_ROLES = staffRole.enumValues;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface MemberPrincipal {
  type: 'member';
  brandId: string;
  id: string;
}

export interface StaffPrincipal {
  type: 'staff';
  brandId: string;
  id: string;
  role: StaffRole;
}

export interface ApiKeyPrincipal {
  type: 'api-key';
  brandId: string;
  /** The API key's id (never the key itself). */
  id: string;
}

/** Who is calling: every authenticated request carries exactly one, always scoped to a brand. */
export type Principal = MemberPrincipal | StaffPrincipal | ApiKeyPrincipal;
export type PrincipalType = Principal['type'];

/** Who did something, for the audit log. */
export interface AuditActor {
  type: 'staff' | 'operator' | 'system';
  id?: string;
  requestId?: string;
}

/** The staff user acting on their own brand, plus the request id the audit log records. */
export interface StaffActor {
  brandId: string;
  id: string;
  requestId?: string;
}
