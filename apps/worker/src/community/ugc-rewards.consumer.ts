import { Inject, Injectable } from '@nestjs/common';
import { COMMUNITY_TOPICS, UGC_REWARDS_CONSUMER, UgcRewardsService } from '@app/community';
import { type OutboxConsumer, OutboxHandler, type OutboxMessage } from '@app/outbox';

/**
 * The one place UGC earns: approvals award the post_approved / review_approved rules (and the
 * review coupon), removals for a violation reverse them. Idempotent per message and per content
 * (see UgcRewardsService).
 */
@OutboxHandler()
@Injectable()
export class UgcRewardsConsumer implements OutboxConsumer {
  readonly name = UGC_REWARDS_CONSUMER;
  readonly topics = [
    COMMUNITY_TOPICS.postApproved,
    COMMUNITY_TOPICS.reviewApproved,
    COMMUNITY_TOPICS.postRemoved,
    COMMUNITY_TOPICS.reviewRemoved,
  ];

  constructor(@Inject(UgcRewardsService) private readonly rewards: UgcRewardsService) {}

  async handle(message: OutboxMessage): Promise<void> {
    switch (message.topic) {
      case COMMUNITY_TOPICS.postApproved:
        await this.rewards.postApproved(message);
        return;
      case COMMUNITY_TOPICS.reviewApproved:
        await this.rewards.reviewApproved(message);
        return;
      case COMMUNITY_TOPICS.postRemoved:
        await this.rewards.postRemoved(message);
        return;
      case COMMUNITY_TOPICS.reviewRemoved:
        await this.rewards.reviewRemoved(message);
        return;
    }
  }
}
