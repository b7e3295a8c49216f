import { Inject, Injectable } from '@nestjs/common';
import { OfferEngine, TRIGGER_TOPICS } from '@app/offers';
import { type OutboxConsumer, OutboxHandler, type OutboxMessage } from '@app/outbox';

/**
 * Trigger events → offers. Idempotent without a processed marker: each occurrence has a unique
 * offers row, so a redelivered (or republished) event finds it and issues nothing.
 */
@OutboxHandler()
@Injectable()
export class OfferTriggersConsumer implements OutboxConsumer {
  readonly name = 'offers.triggers';
  readonly topics = Object.keys(TRIGGER_TOPICS);

  constructor(@Inject(OfferEngine) private readonly engine: OfferEngine) {}

  async handle(message: OutboxMessage): Promise<void> {
    await this.engine.handleEvent(message.brandId, message.topic, message.payload);
  }
}
