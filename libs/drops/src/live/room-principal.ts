import type { MemberPrincipal, StaffPrincipal } from '@app/identity';

/** Who may be in a room: a member or staff user of the drop's brand (socket principals). */
export type RoomPrincipal = MemberPrincipal | StaffPrincipal;
