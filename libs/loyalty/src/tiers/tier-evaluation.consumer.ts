import { Inject, Injectable } from '@nestjs/common';
import { OutboxHandler, type OutboxConsumer, type OutboxMessage } from '@app/outbox';
import { TIER_TRIGGER_TOPICS } from './tiers.events';
import { TiersService } from './tiers.service';

/**
 * Upgrades immediately: every paid order, refund and points award re-evaluates the member.
 * Idempotent without an inbox row: evaluation is a function of the member's current figures and
 * only ever moves up, so a redelivery finds nothing more to do.
 */
@OutboxHandler()
@Injectable()
export class TierEvaluationConsumer implements OutboxConsumer {
  readonly name = 'tiers';
  readonly topics = TIER_TRIGGER_TOPICS;

  constructor(@Inject(TiersService) private readonly tiers: TiersService) {}

  async handle(message: OutboxMessage): Promise<void> {
    const memberId = message.payload.memberId;
    if (typeof memberId !== 'string') return;
    await this.tiers.evaluate(message.brandId, memberId, {
      cause: { topic: message.topic, messageId: message.id },
    });
  }
}
