import { getQueueToken } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { QUEUES } from '@app/common';
import { ORDER_TOPICS } from '@app/loyalty';
import { PREDICTIONS_JOBS, PREDICTIONS_REFRESH_CONSUMER, PredictionsService } from '@app/ml';
import { type OutboxConsumer, OutboxHandler, type OutboxMessage } from '@app/outbox';
import { refitJobId } from './predictions.processor';

/** A first fit on the first handful of orders would serve a useless model until the nightly refit. */
export const FIRST_REFIT_DELAY_MS = 5 * 60_000;

/**
 * After each paid (or refunded) order, rescores that member with the brand's active timing model
 * — no refit, so it is cheap and a redelivery just recomputes the same prediction (the window
 * event is only published on a crossing, under a per-member lock). A brand without a model yet
 * gets its first refit queued (one job id per brand, so a burst of orders queues one), delayed
 * so that an initial import of order history lands before the first fit.
 */
@OutboxHandler()
@Injectable()
export class PredictionsRefreshConsumer implements OutboxConsumer {
  readonly name = PREDICTIONS_REFRESH_CONSUMER;
  readonly topics = [ORDER_TOPICS.paid, ORDER_TOPICS.refunded];

  constructor(
    @Inject(PredictionsService) private readonly predictions: PredictionsService,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  async handle(message: OutboxMessage): Promise<void> {
    const memberId = message.payload.memberId;
    if (typeof memberId !== 'string') return;
    const outcome = await this.predictions.refreshMember(message.brandId, memberId);
    if (outcome !== 'no_model') return;
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.mlPredictions), { strict: false });
    await queue.add(
      PREDICTIONS_JOBS.refitBrand,
      { brandId: message.brandId },
      {
        jobId: refitJobId(message.brandId, 'first'),
        delay: FIRST_REFIT_DELAY_MS,
        removeOnComplete: true,
        removeOnFail: 50,
        attempts: 2,
      },
    );
  }
}
