import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOUR_TOPICS, type BehaviourKind, EarningRulesService } from '@app/loyalty';
import { type OutboxConsumer, OutboxHandler, type OutboxMessage } from '@app/outbox';

/** Which rule a topic fires and the natural key that makes the award happen once. */
const ROUTES: Record<
  string,
  { kind: BehaviourKind; key: (p: Record<string, unknown>) => unknown }
> = {
  [BEHAVIOUR_TOPICS.memberRegistered]: { kind: 'signup', key: (p) => p.memberId },
  [BEHAVIOUR_TOPICS.profileCompleted]: { kind: 'profile_completed', key: (p) => p.memberId },
};

/**
 * Behaviour points from domain events: sign-up, profile completed. (Approved posts and reviews
 * earn in the community's UgcRewardsConsumer, which also issues the review coupon and reverses
 * awards of removed content.) Idempotent through the award's dedupe key
 * `rule:<kind>:<natural key>` (a member signs up once), so a redelivery awards nothing twice.
 */
@OutboxHandler()
@Injectable()
export class BehaviourPointsConsumer implements OutboxConsumer {
  readonly name = 'loyalty.behaviour-points';
  readonly topics = Object.keys(ROUTES);

  constructor(@Inject(EarningRulesService) private readonly rules: EarningRulesService) {}

  async handle(message: OutboxMessage): Promise<void> {
    const route = ROUTES[message.topic];
    const memberId = message.payload.memberId;
    const naturalKey = route?.key(message.payload);
    if (!route || typeof memberId !== 'string' || typeof naturalKey !== 'string') return;
    await this.rules.awardBehaviour(message.brandId, memberId, {
      kind: route.kind,
      dedupeKey: `rule:${route.kind}:${naturalKey}`,
      sourceId: naturalKey,
      actor: { type: 'system' },
      details: { messageId: message.id, topic: message.topic },
    });
  }
}
