import { Inject, Injectable } from '@nestjs/common';
import { FoldInService } from '@app/ml';
import { type OutboxConsumer, OutboxHandler, type OutboxMessage } from '@app/outbox';

export const RECOMMENDER_FOLD_IN_CONSUMER = 'recommender-fold-in';

/**
 * A paid order refreshes the member's vector by fold-in (no retraining) and tells the
 * recommenders to drop the member's cached state. Recomputed from the database each time, so a
 * redelivery is harmless.
 */
@OutboxHandler()
@Injectable()
export class RecommenderFoldInConsumer implements OutboxConsumer {
  readonly name = RECOMMENDER_FOLD_IN_CONSUMER;
  readonly topics = ['order.paid', 'order.refunded'];

  constructor(@Inject(FoldInService) private readonly foldIn: FoldInService) {}

  async handle(message: OutboxMessage): Promise<void> {
    const memberId = message.payload.memberId;
    if (typeof memberId !== 'string') return;
    await this.foldIn.refreshMember(message.brandId, memberId);
  }
}
