/** Outbox topics of offers. */
export const OFFER_TOPICS = {
  /**
   * payload: { offerId, campaignId, campaignName, memberId, message, channels, reward, issuedAt }
   * Key `member:<id>`; header `realtime: key` when the campaign uses the in-app channel (socket.io
   * push to the member); delivered by signed webhook to the brand's endpoints subscribed to it
   * (the messaging provider: SMS / WeChat / e-mail). Available after quiet hours.
   */
  issued: 'offer.issued',
} as const;

export interface OfferIssuedPayload {
  offerId: string;
  campaignId: string;
  campaignName: string;
  memberId: string;
  message: string;
  channels: string[];
  reward: {
    type: string;
    couponId?: string;
    couponCode?: string;
    expiresAt?: string | null;
    points?: number;
    multiplierBp?: number;
    days?: number;
  };
  issuedAt: string;
  [key: string]: unknown;
}
