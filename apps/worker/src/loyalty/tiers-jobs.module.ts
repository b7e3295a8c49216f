import { Module } from '@nestjs/common';
import { TierEvaluationConsumer, TiersModule, WebhookDeliveryConsumer } from '@app/loyalty';
import { TierReviewProcessor, TierReviewScheduler } from './tiers/tier-review.processor';

/**
 * Worker side of the loyalty tiers: the daily review (bull `tier-review`), the outbox consumer
 * that upgrades on order/points events, and brand webhook delivery.
 */
@Module({
  imports: [TiersModule],
  providers: [
    TierReviewProcessor,
    TierReviewScheduler,
    TierEvaluationConsumer,
    WebhookDeliveryConsumer,
  ],
})
export class TiersJobsModule {}
