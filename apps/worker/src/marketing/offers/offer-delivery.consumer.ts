import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  WEBHOOK_DELIVERY_OPTIONS,
  WEBHOOK_HEADERS,
  type WebhookBody,
  type WebhookDeliveryOptions,
  WebhooksRepository,
  signWebhook,
  webhookConsumerName,
  webhookWants,
} from '@app/loyalty';
import { CampaignsService, OFFER_TOPICS } from '@app/offers';
import {
  IdempotentConsumer,
  type DeliveryContext,
  type OutboxConsumer,
  OutboxHandler,
  type OutboxMessage,
} from '@app/outbox';

/**
 * Delivers `offer.issued` to the brand's messaging provider: a signed POST (the brand-webhook
 * format and signature of ADR 0009) to every active webhook subscribed to the topic, each
 * endpoint recorded once (`webhook:<id>`), then marks the offer delivered. The in-app push is the
 * realtime consumer's (header `realtime: key`). Quiet hours hold the message (available_at).
 */
@OutboxHandler()
@Injectable()
export class OfferDeliveryConsumer implements OutboxConsumer {
  readonly name = 'offers.delivery';
  readonly topics = [OFFER_TOPICS.issued];
  private readonly timeoutMs: number;

  constructor(
    @Inject(WebhooksRepository) private readonly webhooks: WebhooksRepository,
    @Inject(IdempotentConsumer) private readonly idempotent: IdempotentConsumer,
    @Inject(CampaignsService) private readonly campaigns: CampaignsService,
    @Optional() @Inject(WEBHOOK_DELIVERY_OPTIONS) options: WebhookDeliveryOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async handle(message: OutboxMessage, ctx: DeliveryContext): Promise<void> {
    const offerId = message.payload.offerId;
    if (typeof offerId !== 'string') return;
    const channels = (message.payload.channels as string[] | undefined) ?? [];
    if (channels.includes('webhook')) {
      const targets = (await this.webhooks.listActive(message.brandId)).filter((hook) =>
        webhookWants(hook.topics, message.topic),
      );
      const body: WebhookBody = {
        id: message.id,
        topic: message.topic,
        brandId: message.brandId,
        createdAt: message.createdAt.toISOString(),
        payload: message.payload,
      };
      const raw = JSON.stringify(body);
      const outcomes = await Promise.allSettled(
        targets.map((hook) =>
          this.idempotent.runExternal(webhookConsumerName(hook.id), message.id, async () => {
            const timestamp = Math.floor(Date.now() / 1000);
            const response = await fetch(hook.url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                [WEBHOOK_HEADERS.id]: message.id,
                [WEBHOOK_HEADERS.timestamp]: String(timestamp),
                [WEBHOOK_HEADERS.signature]: signWebhook(hook.secret, timestamp, raw),
              },
              body: raw,
              redirect: 'manual',
              signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(this.timeoutMs)]),
            });
            await response.arrayBuffer().catch(() => undefined);
            if (response.status < 200 || response.status >= 300)
              throw new Error(`HTTP ${response.status}`);
          }),
        ),
      );
      const failed = outcomes.filter((o) => o.status === 'rejected').length;
      if (failed) throw new Error(`offer webhook delivery failed for ${failed}/${targets.length}`);
    }
    await this.campaigns.markDelivered(message.brandId, offerId);
  }
}

/** A campaign coupon redeemed at checkout moves its offer to `redeemed` (idempotent update). */
@OutboxHandler()
@Injectable()
export class OfferRedemptionConsumer implements OutboxConsumer {
  readonly name = 'offers.redemptions';
  readonly topics = ['coupon.redeemed'];

  constructor(@Inject(CampaignsService) private readonly campaigns: CampaignsService) {}

  async handle(message: OutboxMessage): Promise<void> {
    const { memberId, couponId, at } = message.payload;
    if (typeof memberId !== 'string' || typeof couponId !== 'string') return;
    await this.campaigns.markRedeemed(
      message.brandId,
      memberId,
      couponId,
      typeof at === 'string' ? new Date(at) : message.createdAt,
    );
  }
}
