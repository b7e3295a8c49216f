import type { ModeratorActor } from '@app/community';
import { Authenticated, type MemberPrincipal, type StaffPrincipal } from '@app/identity';

/**
 * Brand staff (owner, moderator) and members; a member is then checked against the communities
 * they moderate (community_members.role moderator/owner) by the moderation services.
 */
export const ModeratorAuth = () => Authenticated({ member: true, staff: ['owner', 'moderator'] });

export const moderatorOf = (principal: MemberPrincipal | StaffPrincipal): ModeratorActor => ({
  type: principal.type,
  brandId: principal.brandId,
  id: principal.id,
});
