import { Authenticated, STAFF_ROLES } from '@app/identity';

/** A member of the brand or any staff user of the brand: the community read routes. */
export const MemberOrStaffAuth = () => Authenticated({ member: true, staff: STAFF_ROLES });
