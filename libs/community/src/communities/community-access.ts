import type { StaffRole } from '@app/identity';
import {
  CommunityMembersOnlyError,
  CommunityModeratorRequiredError,
  MemberBannedError,
  MemberMutedError,
  NotACommunityMemberError,
} from './communities.errors';

export type CommunityVisibility = 'public' | 'members_only' | 'invite';
export type CommunityRole = 'member' | 'moderator' | 'owner';

/** Who is asking: a member of the brand, or a staff user of the brand. */
export type Viewer =
  | { type: 'member'; brandId: string; id: string }
  | { type: 'staff'; brandId: string; id: string; role: StaffRole };

/** What the access rules need to know about a viewer in one community. */
export interface CommunityStanding {
  visibility: CommunityVisibility;
  /** The viewer's role in the community, null when not a member (always null for staff). */
  role: CommunityRole | null;
  /** Active sanctions (until > now), null when none. */
  bannedUntil: Date | null;
  mutedUntil: Date | null;
}

/** Staff roles that administer communities (create, archive, pin, invite, set roles). */
export const COMMUNITY_STAFF_ROLES: readonly StaffRole[] = ['owner', 'moderator'];

const isCommunityStaff = (viewer: Viewer) =>
  viewer.type === 'staff' && COMMUNITY_STAFF_ROLES.includes(viewer.role);

/**
 * Reading a community's content: staff of the brand read everything; a banned member reads
 * nothing; public communities are open to every member of the brand, members-only and invite-only
 * ones to their members.
 */
export function assertCanRead(viewer: Viewer, standing: CommunityStanding): void {
  if (viewer.type === 'staff') return;
  if (standing.bannedUntil) throw new MemberBannedError();
  if (standing.visibility !== 'public' && !standing.role) throw new CommunityMembersOnlyError();
}

/** Posting, commenting, reacting and voting: a member of the community, neither banned nor muted. */
export function assertCanParticipate(viewer: Viewer, standing: CommunityStanding): void {
  if (viewer.type === 'staff') throw new NotACommunityMemberError();
  if (standing.bannedUntil) throw new MemberBannedError();
  if (!standing.role) throw new NotACommunityMemberError();
  if (standing.mutedUntil) throw new MemberMutedError(standing.mutedUntil);
}

/** Pinning and inviting: staff owner/moderator, or a community moderator/owner. */
export function assertCanModerate(viewer: Viewer, standing: CommunityStanding): void {
  if (isCommunityStaff(viewer)) return;
  if (
    viewer.type === 'member' &&
    !standing.bannedUntil &&
    standing.role &&
    standing.role !== 'member'
  )
    return;
  throw new CommunityModeratorRequiredError();
}

/** Changing members' roles: staff owner/moderator, or the community's owner. */
export function assertCanSetRoles(viewer: Viewer, standing: CommunityStanding): void {
  if (isCommunityStaff(viewer)) return;
  if (viewer.type === 'member' && !standing.bannedUntil && standing.role === 'owner') return;
  throw new CommunityModeratorRequiredError('staff or the community owner');
}
