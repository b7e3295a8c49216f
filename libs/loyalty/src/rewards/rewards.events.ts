/** Topics rewards and coupons write to the outbox (realtime push to the member + brand webhooks). */
export const RewardsTopics = {
  RewardRedeemed: 'reward.redeemed',
  CouponIssued: 'coupon.issued',
  CouponRedeemed: 'coupon.redeemed',
} as const;

export type RewardRedeemedPayload = {
  memberId: string;
  redemptionId: string;
  rewardId: string;
  rewardType: string;
  rewardName: string;
  points: number;
  couponId: string | null;
  couponCode: string | null;
  at: string;
};

export type CouponIssuedPayload = {
  memberId: string | null;
  couponId: string;
  templateId: string;
  source: string;
  expiresAt: string | null;
  at: string;
};

export type CouponRedeemedPayload = {
  memberId: string | null;
  couponId: string;
  templateId: string;
  orderId: string;
  discountMinor: number;
  at: string;
};

/** Header that asks the realtime consumer to push the message to the room named by its key. */
export const MEMBER_REALTIME_HEADERS = { realtime: 'key' } as const;
