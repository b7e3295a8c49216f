import { isIP } from 'node:net';
import { Inject, Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { Agent, fetch } from 'undici';
import { AppConfig } from '@app/config';
import {
  IdempotentConsumer,
  OutboxHandler,
  type DeliveryContext,
  type OutboxConsumer,
  type OutboxMessage,
  PLATFORM_BRAND_ID,
} from '@app/outbox';
import { PrivateAddressError, isPublicAddress, publicOnlyLookup } from './public-address';
import { WEBHOOK_HEADERS, signWebhook, webhookWants } from './webhook-signature';
import { type BrandWebhook, WebhooksRepository } from './webhooks.repository';

/** Topics a brand can receive by webhook. */
export const WEBHOOK_TOPICS = ['points.*', 'tier.*', 'reward.*', 'order.*', 'coupon.*'] as const;
export const WEBHOOK_TIMEOUT_MS = 5_000;
export const WEBHOOK_DELIVERY_OPTIONS = Symbol('WEBHOOK_DELIVERY_OPTIONS');

export interface WebhookDeliveryOptions {
  timeoutMs?: number;
  /** Seconds since the epoch (tests). */
  clock?: () => number;
  /**
   * Allow endpoints on loopback/private/link-local addresses. Default: the config's
   * WEBHOOK_ALLOW_PRIVATE_NETWORKS (true outside production, false in production).
   */
  allowPrivateNetworks?: boolean;
}

/** The JSON body every endpoint receives; `id` (= `x-webhook-id`) is the dedupe key. */
export interface WebhookBody {
  id: string;
  topic: string;
  brandId: string;
  createdAt: string;
  payload: Record<string, unknown>;
}

/** Name under which one endpoint's successful delivery is recorded in processed_messages. */
export const webhookConsumerName = (webhookId: string) => `webhook:${webhookId}`;

/**
 * POSTs outbox messages, signed, to every active webhook of the brand whose topics match. Each
 * endpoint's success is recorded separately (`webhook:<id>`), so when one endpoint fails and the
 * outbox retries the message (backoff, dead letter after OUTBOX_MAX_ATTEMPTS), the endpoints that
 * already accepted it are not called again. A non-2xx answer or a timeout is a failure.
 */
@OutboxHandler()
@Injectable()
export class WebhookDeliveryConsumer implements OutboxConsumer, OnModuleDestroy {
  readonly name = 'webhooks';
  readonly topics = WEBHOOK_TOPICS;
  private readonly timeoutMs: number;
  private readonly clock: () => number;
  /** Connects only to public addresses, checked on the addresses DNS returned (SSRF guard). */
  private readonly publicOnly: Agent | null;

  constructor(
    @Inject(WebhooksRepository) private readonly webhooks: WebhooksRepository,
    @Inject(IdempotentConsumer) private readonly idempotent: IdempotentConsumer,
    @Optional() @Inject(WEBHOOK_DELIVERY_OPTIONS) options: WebhookDeliveryOptions = {},
    @Optional() @Inject(AppConfig) config?: AppConfig,
  ) {
    this.timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    this.clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
    const allowPrivate =
      options.allowPrivateNetworks ?? config?.webhooks.allowPrivateNetworks ?? false;
    this.publicOnly = allowPrivate ? null : new Agent({ connect: { lookup: publicOnlyLookup } });
  }

  async onModuleDestroy(): Promise<void> {
    await this.publicOnly?.close();
  }

  async handle(message: OutboxMessage, ctx: DeliveryContext): Promise<void> {
    if (message.brandId === PLATFORM_BRAND_ID) return;
    const targets = (await this.webhooks.listActive(message.brandId)).filter((hook) =>
      webhookWants(hook.topics, message.topic),
    );
    if (!targets.length) return;
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
        this.idempotent.runExternal(webhookConsumerName(hook.id), message.id, () =>
          this.post(hook, message.id, raw, ctx.signal),
        ),
      ),
    );
    const failures = outcomes.flatMap((outcome, i) =>
      outcome.status === 'rejected'
        ? [`${targets[i].id}: ${(outcome.reason as Error)?.message ?? String(outcome.reason)}`]
        : [],
    );
    if (failures.length) {
      throw new Error(
        `webhook delivery failed for ${failures.length}/${targets.length}: ${failures.join('; ')}`,
      );
    }
  }

  private async post(
    hook: BrandWebhook,
    messageId: string,
    raw: string,
    signal: AbortSignal,
  ): Promise<void> {
    const timestamp = this.clock();
    if (this.publicOnly) {
      // An IP literal never goes through DNS lookup: check it here.
      const host = new URL(hook.url).hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) && !isPublicAddress(host)) throw new PrivateAddressError(host, host);
    }
    const response = await fetch(hook.url, {
      dispatcher: this.publicOnly ?? undefined,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'loyalty-platform-webhooks/1',
        [WEBHOOK_HEADERS.id]: messageId,
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: signWebhook(hook.secret, timestamp, raw),
      },
      body: raw,
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
    }).catch((error: unknown) => {
      // undici reports connection problems as "fetch failed": surface the reason instead.
      const cause = (error as { cause?: unknown }).cause;
      throw cause instanceof Error ? cause : error;
    });
    // Drain the body so the connection can be reused; its content is not needed.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`HTTP ${response.status}`);
    }
  }
}
