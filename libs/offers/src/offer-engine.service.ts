import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError } from '@app/common';
import { DatabaseClient, type Transaction } from '@app/db';
import {
  CouponsService,
  LedgerService,
  LoyaltyProgramService,
  formatCouponCode,
} from '@app/loyalty';
import { OutboxPublisher } from '@app/outbox';
import { SegmentsService } from '@app/segments';
import {
  type CampaignDefinition,
  DEFAULT_CONTACT_PRESSURE,
  SCAN_TRIGGERS,
  assignArm,
  deliverableAt,
  renderTemplate,
} from './campaign-rules';
import { type Campaign, CampaignsRepository } from './campaigns.repository';
import { type TriggerOccurrence, occurrenceOf, triggerAccepts } from './offer-triggers';
import { type OfferIssuedPayload, OFFER_TOPICS } from './offers.events';
import { type OfferStatus, OffersRepository } from './offers.repository';

export const OFFERS_CLOCK = Symbol('OFFERS_CLOCK');
const DAY_MS = 86_400_000;
/** A recency scan fires for last orders between `days` and `days + this` ago. */
export const RECENCY_SCAN_WINDOW_DAYS = 7;
const SCAN_BATCH = 1_000;

export type Evaluation =
  | { outcome: 'not_eligible' | 'duplicate' }
  | { outcome: OfferStatus; offerId: string; reason?: string | null };

class BudgetExhausted extends Error {}

/**
 * The offer engine: turns trigger occurrences into one `offers` row per (campaign, occurrence) in
 * either arm, and issues the reward to treatment only. Each evaluation is one transaction under a
 * per-member advisory lock: assignment, the occurrence row (unique key: a redelivered or
 * republished event finds it and stops), caps, the budget reservation (conditional UPDATE), the
 * reward and the `offer.issued` message commit together or not at all.
 */
@Injectable()
export class OfferEngine {
  private readonly now: () => Date;

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(CampaignsRepository) private readonly campaigns: CampaignsRepository,
    @Inject(OffersRepository) private readonly offers: OffersRepository,
    @Inject(SegmentsService) private readonly segments: SegmentsService,
    @Inject(CouponsService) private readonly coupons: CouponsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(LoyaltyProgramService) private readonly programs: LoyaltyProgramService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Optional() @Inject(OFFERS_CLOCK) clock?: () => Date,
  ) {
    this.now = clock ?? (() => new Date());
  }

  /** Evaluates every active campaign whose trigger this event is an occurrence of. */
  async handleEvent(
    brandId: string,
    topic: string,
    payload: Record<string, unknown>,
  ): Promise<Evaluation[]> {
    const occurrence = occurrenceOf(topic, payload);
    if (!occurrence) return [];
    const now = this.now();
    const candidates = await this.campaigns.activeByTrigger(brandId, occurrence.type, now);
    if (!candidates.length) return [];
    if (occurrence.type === 'nth_purchase' && occurrence.context.orderId) {
      const ordinal = await this.offers.orderOrdinal(
        brandId,
        occurrence.memberId,
        occurrence.context.orderId,
      );
      if (ordinal === null) return [];
      occurrence.context.ordinal = ordinal;
    }
    const out: Evaluation[] = [];
    for (const campaign of candidates)
      if (triggerAccepts(campaign.trigger as unknown as CampaignDefinition['trigger'], occurrence))
        out.push(await this.evaluate(campaign, occurrence, now));
    return out;
  }

  /** Active campaigns with a scan trigger, every brand. */
  scanCampaigns(): Promise<Campaign[]> {
    return this.campaigns.activeWithTriggers(SCAN_TRIGGERS, this.now());
  }

  /** Scheduled scan of one campaign (N days after last purchase, birthday). */
  async scan(campaign: Campaign): Promise<Evaluation[]> {
    const trigger = campaign.trigger as unknown as CampaignDefinition['trigger'];
    if (!SCAN_TRIGGERS.includes(trigger.type)) return [];
    const now = this.now();
    const spec =
      trigger.type === 'birthday'
        ? { type: 'birthday' as const, leadDays: trigger.leadDays ?? 0 }
        : {
            type: 'days_since_last_purchase' as const,
            days: trigger.days ?? 30,
            windowDays: RECENCY_SCAN_WINDOW_DAYS,
          };
    const out: Evaluation[] = [];
    for (;;) {
      const batch = await this.offers.scanCandidates(
        campaign.brandId,
        campaign.id,
        spec,
        now,
        SCAN_BATCH,
      );
      let progressed = false;
      for (const c of batch) {
        const result = await this.evaluate(
          campaign,
          { type: trigger.type, memberId: c.memberId, key: c.key, context: {} },
          now,
        );
        out.push(result);
        if (result.outcome !== 'not_eligible') progressed = true;
      }
      // Ineligible members leave no row, so they come back: stop once a batch makes no progress.
      if (batch.length < SCAN_BATCH || !progressed) return out;
    }
  }

  async evaluate(
    campaign: Campaign,
    occ: TriggerOccurrence,
    now: Date = this.now(),
  ): Promise<Evaluation> {
    const brandId = campaign.brandId;
    if (await this.offers.existsOccurrence(brandId, campaign.id, occ.key))
      return { outcome: 'duplicate' };
    const audience = await this.segments.resolveAudience(brandId, campaign.audience);
    if (!(await this.segments.memberMatches(brandId, occ.memberId, audience)))
      return { outcome: 'not_eligible' };
    const caps = campaign.caps as CampaignDefinition['caps'];
    const reward = campaign.reward as unknown as CampaignDefinition['reward'];
    const message = campaign.message as unknown as Partial<CampaignDefinition['message']>;
    const timeZone = caps.quietHours ? await this.campaigns.brandTimezone(brandId) : null;
    const pointValueMicros =
      reward.type === 'points' ? (await this.programs.get(brandId)).pointValueMicros : 0;

    return this.db.transaction(async (tx): Promise<Evaluation> => {
      await this.offers.lockMember(brandId, occ.memberId, tx);
      const arm = await this.offers.assign(
        brandId,
        campaign.id,
        occ.memberId,
        assignArm(campaign.seed, occ.memberId, campaign.holdoutBp),
        tx,
      );
      const row = await this.offers.insert(
        brandId,
        {
          campaignId: campaign.id,
          memberId: occ.memberId,
          occurrenceKey: occ.key,
          arm,
          status: arm === 'holdout' ? 'held_out' : 'issued',
          issuedAt: now,
        },
        tx,
      );
      if (!row) return { outcome: 'duplicate' };
      const suppress = async (reason: string): Promise<Evaluation> => {
        await this.offers.setOutcome(brandId, row.id, { status: 'suppressed', reason }, tx);
        return { outcome: 'suppressed', offerId: row.id, reason };
      };
      // Frequency and contact pressure apply to both arms, so the holdout stays comparable.
      const pressure = caps.contactPressure ?? DEFAULT_CONTACT_PRESSURE;
      const counts = await this.offers.recentCounts(
        brandId,
        occ.memberId,
        {
          campaignId: campaign.id,
          campaignSince: new Date(now.getTime() - (caps.perMember?.days ?? 0) * DAY_MS),
          anySince: new Date(now.getTime() - pressure.days * DAY_MS),
          excludeId: row.id,
        },
        tx,
      );
      if (caps.perMember && counts.campaign >= caps.perMember.max) return suppress('frequency_cap');
      if (counts.any >= pressure.max) return suppress('contact_pressure');
      if (arm === 'holdout') return { outcome: 'held_out', offerId: row.id };

      const fields = await this.offers.memberFields(brandId, occ.memberId, tx);
      const channels = message.channels ?? ['in_app', 'webhook'];
      try {
        // A savepoint: reward, message and budget reservation stand or fall together. The
        // reservation comes last so the campaign row stays locked only until the commit.
        await tx.transaction(async (sp) => {
          const deliverAt = deliverableAt(now, caps.quietHours, timeZone);
          const issued = await this.issueReward(
            campaign,
            reward,
            row.id,
            occ.memberId,
            pointValueMicros,
            deliverAt,
            sp,
          );
          const payload: OfferIssuedPayload = {
            offerId: row.id,
            campaignId: campaign.id,
            campaignName: campaign.name,
            memberId: occ.memberId,
            message: renderTemplate(message.template ?? '', {
              firstName: fields?.firstName ?? null,
              lastName: fields?.lastName ?? null,
              campaignName: campaign.name,
              couponCode: issued.reward.couponCode ?? null,
              points: issued.reward.points ?? null,
              expiresAt: issued.reward.expiresAt ?? null,
            }),
            channels,
            reward: issued.reward,
            issuedAt: now.toISOString(),
          };
          await this.outbox.publish(sp, brandId, {
            topic: OFFER_TOPICS.issued,
            key: `member:${occ.memberId}`,
            headers: channels.includes('in_app') ? { realtime: 'key' } : {},
            payload,
            availableAt: deliverAt,
          });
          if (
            !(await this.campaigns.reserveBudget(
              brandId,
              campaign.id,
              issued.minor,
              issued.points,
              sp,
            ))
          )
            throw new BudgetExhausted();
        });
      } catch (error) {
        if (error instanceof BudgetExhausted) return suppress('budget_exhausted');
        if (error instanceof DomainError) return suppress(`reward_unavailable:${error.code}`);
        throw error;
      }
      return { outcome: 'issued', offerId: row.id };
    });
  }

  /** Hands the reward over (inside the caller's savepoint); returns what it costs the budget. */
  private async issueReward(
    campaign: Campaign,
    reward: CampaignDefinition['reward'],
    offerId: string,
    memberId: string,
    pointValueMicros: number,
    /** When the member may be notified (quiet hours): the coupon's own push waits too. */
    notifyAt: Date,
    tx: Transaction,
  ): Promise<{ reward: OfferIssuedPayload['reward']; minor: number; points: number }> {
    const brandId = campaign.brandId;
    switch (reward.type) {
      case 'coupon': {
        const { coupon } = await this.coupons.issue(
          brandId,
          {
            templateId: reward.templateId,
            memberId,
            source: 'campaign',
            sourceId: offerId,
            notifyAt,
          },
          tx,
        );
        await this.offers.setOutcome(
          brandId,
          offerId,
          { couponId: coupon.id, costMinor: reward.costMinor },
          tx,
        );
        return {
          reward: {
            type: 'coupon',
            couponId: coupon.id,
            couponCode: formatCouponCode(coupon.code),
            expiresAt: coupon.expiresAt?.toISOString() ?? null,
          },
          minor: reward.costMinor,
          points: 0,
        };
      }
      case 'points': {
        const costMinor = Math.round((reward.points * pointValueMicros) / 10_000);
        await this.ledger.earn(
          brandId,
          memberId,
          {
            points: reward.points,
            reason: 'campaign_offer',
            source: 'system',
            sourceId: offerId,
            actor: { type: 'system' },
            dedupeKey: `offer:${offerId}`,
            details: { campaignId: campaign.id },
          },
          tx,
        );
        await this.offers.setOutcome(brandId, offerId, { points: reward.points, costMinor }, tx);
        return {
          reward: { type: 'points', points: reward.points },
          minor: costMinor,
          points: reward.points,
        };
      }
      case 'multiplier':
        return {
          reward: { type: 'multiplier', multiplierBp: reward.multiplierBp, days: reward.days },
          minor: 0,
          points: 0,
        };
    }
  }
}
