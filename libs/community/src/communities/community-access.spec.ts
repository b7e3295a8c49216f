import type { DomainError } from '@app/common';
import {
  type CommunityStanding,
  type Viewer,
  assertCanModerate,
  assertCanParticipate,
  assertCanRead,
  assertCanSetRoles,
} from './community-access';

const BRAND = '11111111-1111-4111-8111-111111111111';
const member: Viewer = { type: 'member', brandId: BRAND, id: 'm' };
const staff = (role: 'owner' | 'moderator' | 'marketer'): Viewer => ({
  type: 'staff',
  brandId: BRAND,
  id: 's',
  role,
});
const standing = (over: Partial<CommunityStanding> = {}): CommunityStanding => ({
  visibility: 'public',
  role: null,
  bannedUntil: null,
  mutedUntil: null,
  ...over,
});
const later = new Date('2030-01-01T00:00:00.000Z');

const codeOf = (work: () => void): string | null => {
  try {
    work();
    return null;
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('community access rules', () => {
  it('reading: public to every member, members-only and invite to members, staff always', () => {
    expect(codeOf(() => assertCanRead(member, standing()))).toBeNull();
    for (const visibility of ['members_only', 'invite'] as const) {
      expect(codeOf(() => assertCanRead(member, standing({ visibility })))).toBe(
        'community_members_only',
      );
      expect(codeOf(() => assertCanRead(member, standing({ visibility, role: 'member' })))).toBe(
        null,
      );
      expect(codeOf(() => assertCanRead(staff('marketer'), standing({ visibility })))).toBeNull();
    }
    expect(codeOf(() => assertCanRead(member, standing({ bannedUntil: later })))).toBe(
      'member_banned',
    );
  });

  it('participating: members only, not banned, not muted; never staff', () => {
    expect(codeOf(() => assertCanParticipate(member, standing()))).toBe('community_not_a_member');
    expect(codeOf(() => assertCanParticipate(member, standing({ role: 'member' })))).toBeNull();
    expect(
      codeOf(() => assertCanParticipate(member, standing({ role: 'member', mutedUntil: later }))),
    ).toBe('member_muted');
    expect(codeOf(() => assertCanParticipate(member, standing({ bannedUntil: later })))).toBe(
      'member_banned',
    );
    expect(codeOf(() => assertCanParticipate(staff('owner'), standing()))).toBe(
      'community_not_a_member',
    );
  });

  it('moderating (pin, invite): community moderator/owner or staff owner/moderator', () => {
    const refused = 'community_moderator_required';
    expect(codeOf(() => assertCanModerate(member, standing({ role: 'member' })))).toBe(refused);
    expect(codeOf(() => assertCanModerate(member, standing({ role: 'moderator' })))).toBeNull();
    expect(codeOf(() => assertCanModerate(member, standing({ role: 'owner' })))).toBeNull();
    expect(
      codeOf(() => assertCanModerate(member, standing({ role: 'owner', bannedUntil: later }))),
    ).toBe(refused);
    expect(codeOf(() => assertCanModerate(staff('moderator'), standing()))).toBeNull();
    expect(codeOf(() => assertCanModerate(staff('marketer'), standing()))).toBe(refused);
  });

  it('setting roles: the community owner or staff owner/moderator', () => {
    const refused = 'community_moderator_required';
    expect(codeOf(() => assertCanSetRoles(member, standing({ role: 'moderator' })))).toBe(refused);
    expect(codeOf(() => assertCanSetRoles(member, standing({ role: 'owner' })))).toBeNull();
    expect(codeOf(() => assertCanSetRoles(staff('owner'), standing()))).toBeNull();
    expect(codeOf(() => assertCanSetRoles(staff('marketer'), standing()))).toBe(refused);
  });
});
