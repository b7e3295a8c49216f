import { Module } from '@nestjs/common';
import { AuditLogRepository, IdentityModule } from '@app/identity';
import { TierReviewService } from './tier-review.service';
import { TiersRepository } from './tiers.repository';
import { TiersService } from './tiers.service';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

/**
 * Tiers part of the loyalty context (tier CRUD, member tier evaluation and review, brand
 * webhooks), shared by api and worker. Outbox consumers (TierEvaluationConsumer,
 * WebhookDeliveryConsumer) are provided by the worker's TiersJobsModule only.
 */
@Module({
  imports: [IdentityModule],
  providers: [
    AuditLogRepository,
    TiersRepository,
    TiersService,
    TierReviewService,
    WebhooksRepository,
    WebhooksService,
  ],
  exports: [TiersRepository, TiersService, TierReviewService, WebhooksRepository, WebhooksService],
})
export class TiersModule {}
