import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Page, ValidationError } from '@app/common';
import { keysetPage, decodePosition, pageSize } from '@app/identity';
import { CouponTemplatesService, LoyaltyProgramService } from '@app/loyalty';
import { SegmentsService } from '@app/segments';
import { type CampaignDefinition, parseCampaignDefinition } from './campaign-rules';
import { type Campaign, type CampaignStatus, CampaignsRepository } from './campaigns.repository';
import {
  CampaignNotFoundError,
  CampaignStatusConflictError,
  OfferNotFoundError,
} from './offers.errors';
import { type Offer, OffersRepository } from './offers.repository';

export interface CampaignInput {
  name: string;
  trigger: unknown;
  audience?: unknown;
  reward: unknown;
  message?: unknown;
  caps?: unknown;
  holdoutBp?: number;
  attributionDays?: number;
  startsAt?: Date | null;
  endsAt?: Date | null;
  overrides?: unknown;
}

export interface CampaignPreview {
  audienceSize: number;
  expectedTreated: number;
  expectedHoldout: number;
  unitCostMinor: number;
  unitPoints: number;
  /** Cost if every audience member in treatment were issued once, capped by the budget. */
  expectedCostMinor: number;
  expectedPoints: number;
  budgetMinor: number | null;
  budgetPoints: number | null;
  /** Offers the budget pays for (null: uncapped). */
  offersWithinBudget: number | null;
}

/** Campaign CRUD, preview and lifecycle for marketers (owner/marketer). */
@Injectable()
export class CampaignsService {
  constructor(
    @Inject(CampaignsRepository) private readonly campaigns: CampaignsRepository,
    @Inject(OffersRepository) private readonly offers: OffersRepository,
    @Inject(SegmentsService) private readonly segments: SegmentsService,
    @Inject(CouponTemplatesService) private readonly templates: CouponTemplatesService,
    @Inject(LoyaltyProgramService) private readonly programs: LoyaltyProgramService,
  ) {}

  /** Validates the whole campaign; coupon rewards get their per-offer cost from the template. */
  private async validated(brandId: string, input: CampaignInput) {
    const def = parseCampaignDefinition(input);
    await this.segments.resolveAudience(brandId, input.audience ?? {});
    if (def.reward.type === 'coupon') {
      const template = await this.templates.getById(brandId, def.reward.templateId);
      if (def.reward.costMinor === undefined) {
        if (template.kind !== 'amount_off')
          throw new ValidationError('Invalid campaign', {
            fields: {
              'reward.costMinor': [
                `is required for a ${template.kind} template (the estimated cost of one coupon)`,
              ],
            },
          });
        def.reward = { ...def.reward, costMinor: template.value };
      }
    }
    if (input.startsAt && input.endsAt && input.startsAt.getTime() >= input.endsAt.getTime())
      throw new ValidationError('Invalid campaign', {
        fields: { endsAt: ['must be after startsAt'] },
      });
    if (
      input.attributionDays !== undefined &&
      !(input.attributionDays >= 1 && input.attributionDays <= 90)
    )
      throw new ValidationError('Invalid campaign', {
        fields: { attributionDays: ['must be 1–90'] },
      });
    return def;
  }

  private columns(def: CampaignDefinition, input: CampaignInput) {
    return {
      name: input.name,
      trigger: def.trigger as unknown as Record<string, unknown>,
      audience: (input.audience ?? {}) as Record<string, unknown>,
      reward: def.reward as unknown as Record<string, unknown>,
      message: def.message as unknown as Record<string, unknown>,
      caps: def.caps as Record<string, unknown>,
      holdoutBp: def.holdoutBp,
      attributionDays: input.attributionDays ?? 14,
      startsAt: input.startsAt ?? null,
      endsAt: input.endsAt ?? null,
      overrides: def.overrides,
    };
  }

  async create(brandId: string, input: CampaignInput): Promise<Campaign> {
    const def = await this.validated(brandId, input);
    return this.campaigns.insert(brandId, {
      ...this.columns(def, input),
      seed: randomBytes(12).toString('hex'),
    });
  }

  /**
   * Replaces the definition. A draft or paused campaign only; the seed and existing assignments
   * never change, so members keep their arm.
   */
  async update(brandId: string, id: string, input: CampaignInput): Promise<Campaign> {
    const current = await this.get(brandId, id);
    if (current.status === 'active' || current.status === 'ended')
      throw new CampaignStatusConflictError('edit', current.status);
    const def = await this.validated(brandId, input);
    const updated = await this.campaigns.update(brandId, id, this.columns(def, input));
    if (!updated) throw new CampaignNotFoundError();
    return updated;
  }

  async get(brandId: string, id: string): Promise<Campaign> {
    const campaign = await this.campaigns.find(brandId, id);
    if (!campaign) throw new CampaignNotFoundError();
    return campaign;
  }

  async list(
    brandId: string,
    query: { limit?: number; cursor?: string; status?: CampaignStatus },
  ): Promise<Page<Campaign>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    const rows = await this.campaigns.list(brandId, { limit, after, status: query.status });
    const page = keysetPage(
      rows.map((r) => ({ ...r.campaign, cursorAt: r.cursorAt })),
      limit,
    );
    return page;
  }

  async remove(brandId: string, id: string): Promise<void> {
    const current = await this.get(brandId, id);
    if (!(await this.campaigns.delete(brandId, id)))
      throw new CampaignStatusConflictError('delete', current.status);
  }

  private async transition(
    brandId: string,
    id: string,
    action: string,
    from: CampaignStatus[],
    to: CampaignStatus,
  ) {
    const moved = await this.campaigns.transition(brandId, id, from, to);
    if (moved) return moved;
    const current = await this.get(brandId, id);
    throw new CampaignStatusConflictError(action, current.status);
  }

  launch = (brandId: string, id: string) =>
    this.transition(brandId, id, 'launch', ['draft'], 'active');
  pause = (brandId: string, id: string) =>
    this.transition(brandId, id, 'pause', ['active'], 'paused');
  resume = (brandId: string, id: string) =>
    this.transition(brandId, id, 'resume', ['paused'], 'active');
  end = (brandId: string, id: string) =>
    this.transition(brandId, id, 'end', ['draft', 'active', 'paused'], 'ended');

  /** Audience size now and what issuing to its treatment share once would cost. */
  async preview(brandId: string, id: string): Promise<CampaignPreview> {
    const campaign = await this.get(brandId, id);
    const audience = await this.segments.resolveAudience(brandId, campaign.audience);
    const audienceSize = await this.segments.countAudience(brandId, audience);
    const expectedHoldout = Math.round((audienceSize * campaign.holdoutBp) / 10_000);
    const expectedTreated = audienceSize - expectedHoldout;
    const reward = campaign.reward as unknown as CampaignDefinition['reward'];
    const caps = campaign.caps as CampaignDefinition['caps'];
    let unitCostMinor = 0;
    let unitPoints = 0;
    if (reward.type === 'coupon') unitCostMinor = reward.costMinor;
    if (reward.type === 'points') {
      unitPoints = reward.points;
      const program = await this.programs.get(brandId);
      unitCostMinor = Math.round((reward.points * program.pointValueMicros) / 10_000);
    }
    const budgetMinor = caps.budgetMinor ?? null;
    const budgetPoints = caps.budgetPoints ?? null;
    const limits = [
      budgetMinor !== null && unitCostMinor > 0
        ? Math.floor((budgetMinor - campaign.spentMinor) / unitCostMinor)
        : null,
      budgetPoints !== null && unitPoints > 0
        ? Math.floor((budgetPoints - campaign.spentPoints) / unitPoints)
        : null,
    ].filter((x): x is number => x !== null);
    const offersWithinBudget = limits.length ? Math.max(0, Math.min(...limits)) : null;
    const payable =
      offersWithinBudget === null ? expectedTreated : Math.min(expectedTreated, offersWithinBudget);
    return {
      audienceSize,
      expectedTreated,
      expectedHoldout,
      unitCostMinor,
      unitPoints,
      expectedCostMinor: payable * unitCostMinor,
      expectedPoints: payable * unitPoints,
      budgetMinor,
      budgetPoints,
      offersWithinBudget,
    };
  }

  /** The delivery consumer handed `offer.issued` to every channel (idempotent). */
  markDelivered(brandId: string, offerId: string): Promise<void> {
    return this.offers.markDelivered(brandId, offerId, new Date());
  }

  /** A campaign coupon was redeemed at checkout → its offer is `redeemed` (idempotent). */
  markRedeemed(brandId: string, memberId: string, couponId: string, at: Date): Promise<number> {
    return this.offers.markRedeemedByCoupon(brandId, memberId, couponId, at);
  }

  /** Offers whose coupon lapsed unredeemed → `expired` (scheduled). */
  expireDue(now = new Date()): Promise<number> {
    return this.offers.expireDue(now);
  }

  /** Storefront: the member opened the offer (idempotent). */
  async markOpened(brandId: string, offerId: string): Promise<Offer> {
    const offer = await this.offers.markOpened(brandId, offerId, new Date());
    if (!offer) throw new OfferNotFoundError();
    return offer;
  }
}
