/** Topics of the domain events identity writes to the outbox (consumers: loyalty, offers, realtime). */
export const IdentityTopics = {
  MemberRegistered: 'member.registered',
  MemberProfileCompleted: 'member.profile_completed',
} as const;

export type MemberRegisteredPayload = {
  memberId: string;
  /** The referring member, when the member signed up with a referral code. */
  referredBy: string | null;
  /** ISO timestamp of the registration. */
  at: string;
};

export type MemberProfileCompletedPayload = {
  memberId: string;
  at: string;
};

/** Routing key of member events: consumers keep per-member order with it. */
export const memberKey = (memberId: string) => `member:${memberId}`;
