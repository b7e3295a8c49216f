import { Inject, Injectable, Logger } from '@nestjs/common';
import { DatabaseClient, type Executor } from '@app/db';
import { OutboxPublisher } from '@app/outbox';
import { type ReviewDecision, addMonths, reviewDecision, windowStart } from './tier-maths';
import { TIER_EVENTS, tierMessage, tierSummary } from './tiers.events';
import { type MemberTier, type Tier, TiersRepository } from './tiers.repository';
import { TiersService } from './tiers.service';

export interface ReviewRunResult {
  reviewed: number;
  kept: number;
  warned: number;
  downgraded: number;
  upgraded: number;
}

export const DEFAULT_REVIEW_BATCH = 200;

/**
 * The periodic tier review. Each batch is one transaction that claims due member tiers with
 * `FOR UPDATE SKIP LOCKED` (so concurrent workers take disjoint batches and evaluations of the
 * same member wait), decides with `reviewDecision` and moves `next_review_at` past `asOf`: a
 * re-run finds nothing due (idempotent), and a crash loses only the uncommitted batch (resumable).
 */
@Injectable()
export class TierReviewService {
  private readonly logger = new Logger(TierReviewService.name);

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(TiersRepository) private readonly repository: TiersRepository,
    @Inject(TiersService) private readonly tiers: TiersService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  async runDue(
    options: { asOf?: Date; batchSize?: number; maxBatches?: number } = {},
  ): Promise<ReviewRunResult> {
    const asOf = options.asOf ?? new Date();
    const batchSize = options.batchSize ?? DEFAULT_REVIEW_BATCH;
    const total: ReviewRunResult = { reviewed: 0, kept: 0, warned: 0, downgraded: 0, upgraded: 0 };
    for (let batch = 0; batch < (options.maxBatches ?? Infinity); batch += 1) {
      const done = await this.db.transaction(async (tx) => {
        const due = await this.repository.claimDueReviews(asOf, batchSize, tx);
        const tiersByBrand = new Map<string, Tier[]>();
        for (const row of due) {
          let all = tiersByBrand.get(row.brandId);
          if (!all) {
            all = await this.repository.listTiers(row.brandId, tx);
            tiersByBrand.set(row.brandId, all);
          }
          const action = await this.reviewOne(row, all, asOf, tx);
          total.reviewed += 1;
          total[action] += 1;
        }
        return due.length < batchSize;
      });
      if (done) break;
    }
    if (total.reviewed)
      this.logger.log(`tier review at ${asOf.toISOString()}: ${JSON.stringify(total)}`);
    return total;
  }

  private async reviewOne(
    row: MemberTier,
    all: Tier[],
    asOf: Date,
    tx: Executor,
  ): Promise<'kept' | 'warned' | 'downgraded' | 'upgraded'> {
    const current = all.find((tier) => tier.id === row.tierId);
    const stats = await this.repository.stats(
      row.brandId,
      row.memberId,
      windowStart(asOf),
      asOf,
      tx,
    );
    if (!current) {
      // The tier vanished (deletion is refused while held; defensive): look again next period.
      await this.repository.updateMemberTier(
        row.brandId,
        row.memberId,
        { nextReviewAt: addMonths(asOf, this.tiers.reviewPolicy.reviewPeriodMonths) },
        tx,
      );
      return 'kept';
    }
    const decision: ReviewDecision<Tier> = reviewDecision({
      tiers: all,
      currentRank: current.rank,
      warned: row.downgradeWarnedAt !== null,
      stats,
      asOf,
      policy: this.tiers.reviewPolicy,
    });
    switch (decision.action) {
      case 'keep':
        await this.repository.updateMemberTier(
          row.brandId,
          row.memberId,
          { downgradeWarnedAt: null, nextReviewAt: decision.nextReviewAt },
          tx,
        );
        return 'kept';
      case 'warn':
        await this.repository.updateMemberTier(
          row.brandId,
          row.memberId,
          { downgradeWarnedAt: asOf, nextReviewAt: decision.nextReviewAt },
          tx,
        );
        await this.outbox.publish(
          tx,
          row.brandId,
          tierMessage(TIER_EVENTS.downgradeWarning, row.memberId, {
            tier: tierSummary(current),
            qualifiesFor: tierSummary(decision.qualifiesFor),
            reviewAt: decision.nextReviewAt.toISOString(),
            stats,
          }),
        );
        return 'warned';
      case 'downgrade':
        await this.tiers.moveTo(
          row.brandId,
          row,
          current,
          decision.to,
          'review_downgrade',
          asOf,
          stats,
          tx,
        );
        return 'downgraded';
      case 'upgrade':
        await this.tiers.moveTo(row.brandId, row, current, decision.to, 'upgrade', asOf, stats, tx);
        return 'upgraded';
    }
  }
}
