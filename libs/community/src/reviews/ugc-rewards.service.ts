import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@app/common';
import type { Transaction } from '@app/db';
import {
  type BehaviourAward,
  CouponsService,
  EarningRulesService,
  LedgerRepository,
  LedgerService,
} from '@app/loyalty';
import { IdempotentConsumer, type OutboxMessage } from '@app/outbox';
import { ReviewsRepository } from './reviews.repository';

/** Name of the rewards consumer: the key of its rows in processed_messages. */
export const UGC_REWARDS_CONSUMER = 'community.ugc-rewards';
/** `coupons.source` of 晒单返券 codes; the source id is the review id. */
export const REVIEW_COUPON_SOURCE = 'review';

type UgcKind = 'review_approved' | 'post_approved';

/** The award entry of a piece of content: the same key the behaviour rule dedupes on. */
export const awardDedupeKey = (kind: UgcKind, id: string) => `rule:${kind}:${id}`;
export const reversalDedupeKey = (kind: UgcKind, id: string) => `reverse:${kind}:${id}`;

export type UgcRewardOutcome =
  | {
      rewarded: false;
      reason: 'not_published' | 'review_post' | 'no_rule' | 'cap_reached' | 'unknown_member';
    }
  | {
      rewarded: true;
      duplicate: boolean;
      points: number;
      entryId: string;
      couponId: string | null;
    };

export type UgcReversalOutcome = {
  pointsReversed: number;
  debtAdded: number;
  couponVoided: boolean;
};

/**
 * Rewards for UGC through the loyalty earning rules: an approved post earns the `post_approved`
 * rule, an approved review the `review_approved` rule plus, when the rule's config names
 * `couponTemplateId`, a coupon (晒单返券); the review is then marked `incentivised`. Removal
 * for a violation reverses it: the award entry is clawed back (ledger debt/cap policy, never a
 * negative balance) and an unredeemed review coupon is voided.
 *
 * Each message's whole effect is one transaction recorded in processed_messages, and every write
 * is also idempotent on its own key (award dedupe key, coupon source, reversal dedupe key), so a
 * second approval message, a redelivery or a restore-then-approve never pays twice. The content
 * row is share-locked while awarding, so a concurrent moderation action waits for the award (and
 * its removal message then finds the award to reverse) or the award sees the action's outcome.
 */
@Injectable()
export class UgcRewardsService {
  private readonly logger = new Logger(UgcRewardsService.name);

  constructor(
    @Inject(IdempotentConsumer) private readonly idempotent: IdempotentConsumer,
    @Inject(ReviewsRepository) private readonly reviews: ReviewsRepository,
    @Inject(EarningRulesService) private readonly rules: EarningRulesService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(LedgerRepository) private readonly ledgerEntries: LedgerRepository,
    @Inject(CouponsService) private readonly coupons: CouponsService,
  ) {}

  /** `post.approved`: the post_approved rule to its author (shared reviews earn as reviews). */
  async postApproved(message: OutboxMessage): Promise<UgcRewardOutcome | null> {
    const postId = message.payload.postId;
    if (typeof postId !== 'string') return null;
    return this.once(message, async (tx) => {
      const post = await this.reviews.postForReward(message.brandId, postId, tx);
      if (!post || post.status !== 'published') return { rewarded: false, reason: 'not_published' };
      if (post.reviewId) return { rewarded: false, reason: 'review_post' };
      const award = await this.award(message, 'post_approved', postId, post.authorId, tx);
      return award.awarded
        ? {
            rewarded: true,
            duplicate: award.duplicate,
            points: award.points,
            entryId: award.entryId,
            couponId: null,
          }
        : { rewarded: false, reason: award.reason };
    });
  }

  /** `review.approved`: the review_approved rule, its coupon, and the incentivised badge. */
  async reviewApproved(message: OutboxMessage): Promise<UgcRewardOutcome | null> {
    const reviewId = message.payload.reviewId;
    if (typeof reviewId !== 'string') return null;
    const brandId = message.brandId;
    return this.once(message, async (tx) => {
      const review = await this.reviews.findById(brandId, reviewId, tx, 'share');
      if (!review || review.status !== 'published')
        return { rewarded: false, reason: 'not_published' };
      const award = await this.award(message, 'review_approved', reviewId, review.memberId, tx);
      if (!award.awarded) return { rewarded: false, reason: award.reason };
      // A duplicate award committed together with its coupon: nothing more to issue.
      const couponId = award.duplicate
        ? null
        : await this.issueReviewCoupon(brandId, award.ruleId, review.memberId, reviewId, tx);
      await this.reviews.markIncentivised(brandId, reviewId, tx);
      return {
        rewarded: true,
        duplicate: award.duplicate,
        points: award.points,
        entryId: award.entryId,
        couponId,
      };
    });
  }

  /** `post.removed`: claws back the post's award. */
  postRemoved(message: OutboxMessage): Promise<UgcReversalOutcome | null> {
    return this.reverse(message, 'post_approved', message.payload.postId);
  }

  /** `review.removed`: claws back the review's points and voids its unredeemed coupon. */
  reviewRemoved(message: OutboxMessage): Promise<UgcReversalOutcome | null> {
    return this.reverse(message, 'review_approved', message.payload.reviewId);
  }

  private async once<T>(
    message: OutboxMessage,
    effect: (tx: Transaction) => Promise<T>,
  ): Promise<T | null> {
    const result = await this.idempotent.runOnce(UGC_REWARDS_CONSUMER, message.id, effect);
    return result.applied ? result.result : null;
  }

  private award(
    message: OutboxMessage,
    kind: UgcKind,
    id: string,
    memberId: string,
    tx: Transaction,
  ): Promise<BehaviourAward> {
    return this.rules.awardBehaviour(
      message.brandId,
      memberId,
      {
        kind,
        dedupeKey: awardDedupeKey(kind, id),
        sourceId: id,
        actor: { type: 'system' },
        details: { messageId: message.id, topic: message.topic },
      },
      tx,
    );
  }

  /**
   * The rule's coupon, in a savepoint: a template that is inactive, exhausted or at its
   * per-member cap refuses the coupon without undoing the points.
   */
  private async issueReviewCoupon(
    brandId: string,
    ruleId: string,
    memberId: string,
    reviewId: string,
    tx: Transaction,
  ): Promise<string | null> {
    const rule = await this.rules.get(brandId, ruleId, tx);
    const templateId = rule.config.couponTemplateId;
    if (typeof templateId !== 'string') return null;
    try {
      const issued = await tx.transaction((savepoint) =>
        this.coupons.issue(
          brandId,
          { templateId, memberId, source: REVIEW_COUPON_SOURCE, sourceId: reviewId },
          savepoint,
        ),
      );
      return issued.coupon.id;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn(
        { brandId, reviewId, templateId, code: error.code },
        'review coupon not issued; the points stand',
      );
      return null;
    }
  }

  private async reverse(
    message: OutboxMessage,
    kind: UgcKind,
    id: unknown,
  ): Promise<UgcReversalOutcome | null> {
    if (typeof id !== 'string') return null;
    const brandId = message.brandId;
    return this.once(message, async (tx) => {
      const outcome: UgcReversalOutcome = { pointsReversed: 0, debtAdded: 0, couponVoided: false };
      const entry = await this.ledgerEntries.findEntryByDedupeKey(
        brandId,
        awardDedupeKey(kind, id),
        tx,
      );
      if (entry && entry.kind === 'earn' && entry.amount > 0) {
        const result = await this.ledger.clawback(
          brandId,
          entry.memberId,
          {
            earnEntryId: entry.id,
            points: entry.amount,
            reason: kind === 'review_approved' ? 'review_removed' : 'post_removed',
            source: 'rule',
            sourceId: id,
            actor: { type: 'system' },
            dedupeKey: reversalDedupeKey(kind, id),
          },
          tx,
        );
        outcome.pointsReversed = result.reversed;
        outcome.debtAdded = result.debtAdded;
      }
      if (kind === 'review_approved')
        outcome.couponVoided = Boolean(
          await this.coupons.voidBySource(brandId, REVIEW_COUPON_SOURCE, id, tx),
        );
      return outcome;
    });
  }
}
