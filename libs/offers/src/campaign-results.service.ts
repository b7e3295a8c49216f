import { Inject, Injectable } from '@nestjs/common';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignNotFoundError } from './offers.errors';
import { type ArmFigures, type Funnel, OffersRepository } from './offers.repository';
import {
  type Interval,
  type ProportionTest,
  meanDifference,
  scale,
  twoProportion,
} from './uplift-stats';

export interface ArmResult {
  members: number;
  units: number;
  converted: number;
  conversionRate: number | null;
  orders: number;
  revenueMinor: number;
  revenuePerUnitMinor: number | null;
}

export interface CampaignResults {
  campaignId: string;
  attributionDays: number;
  treatment: ArmResult;
  holdout: ArmResult;
  /** Conversion-rate difference treatment − holdout, 95 % CI, pooled z-test. */
  uplift: ProportionTest | null;
  incrementalConversions: Interval | null;
  incrementalOrders: number | null;
  /** Per-unit revenue difference × treated units, 95 % CI (normal approximation). */
  incrementalRevenueMinor: Interval | null;
  cost: {
    discountMinor: number;
    redeemedCoupons: number;
    points: number;
    pointsCostMinor: number;
    totalMinor: number;
  };
  costPerIncrementalOrderMinor: number | null;
  /** (incremental revenue − cost) / cost. */
  roi: number | null;
  funnel: Funnel;
  suppressed: Record<string, number>;
}

const arm = (rows: ArmFigures[], name: 'treatment' | 'holdout'): ArmResult => {
  const r = rows.find((x) => x.arm === name);
  const units = r?.units ?? 0;
  return {
    members: r?.members ?? 0,
    units,
    converted: r?.converted ?? 0,
    conversionRate: units ? (r?.converted ?? 0) / units : null,
    orders: r?.orders ?? 0,
    revenueMinor: r?.revenue ?? 0,
    revenuePerUnitMinor: units ? (r?.revenue ?? 0) / units : null,
  };
};

/**
 * Measured uplift of a campaign: one unit per offer row (trigger occurrence), converted when the
 * member placed a paid order within the attribution window after it; treatment against holdout.
 */
@Injectable()
export class CampaignResultsService {
  constructor(
    @Inject(CampaignsRepository) private readonly campaigns: CampaignsRepository,
    @Inject(OffersRepository) private readonly offers: OffersRepository,
  ) {}

  async results(brandId: string, campaignId: string): Promise<CampaignResults> {
    const campaign = await this.campaigns.find(brandId, campaignId);
    if (!campaign) throw new CampaignNotFoundError();
    const [rows, cost, funnel, suppressed] = await Promise.all([
      this.offers.armFigures(brandId, campaignId, campaign.attributionDays),
      this.offers.cost(brandId, campaignId),
      this.offers.funnel(brandId, campaignId),
      this.offers.suppressionReasons(brandId, campaignId),
    ]);
    const t = arm(rows, 'treatment');
    const h = arm(rows, 'holdout');
    const tRow = rows.find((x) => x.arm === 'treatment');
    const hRow = rows.find((x) => x.arm === 'holdout');
    const uplift = twoProportion(t.converted, t.units, h.converted, h.units);
    const revenueDiff =
      tRow && hRow
        ? meanDifference(
            { n: tRow.units, sum: tRow.revenue, sumSquares: tRow.revenueSquares },
            { n: hRow.units, sum: hRow.revenue, sumSquares: hRow.revenueSquares },
          )
        : null;
    const incrementalOrders =
      t.units && h.units ? (t.orders / t.units - h.orders / h.units) * t.units : null;
    const pointsCostMinor = Math.round((cost.points * cost.pointValueMicros) / 10_000);
    const totalMinor = cost.discountMinor + pointsCostMinor;
    const incrementalRevenue = scale(revenueDiff, t.units);
    return {
      campaignId,
      attributionDays: campaign.attributionDays,
      treatment: t,
      holdout: h,
      uplift,
      incrementalConversions: scale(uplift, t.units),
      incrementalOrders,
      incrementalRevenueMinor: incrementalRevenue,
      cost: {
        discountMinor: cost.discountMinor,
        redeemedCoupons: cost.redeemedCoupons,
        points: cost.points,
        pointsCostMinor,
        totalMinor,
      },
      costPerIncrementalOrderMinor:
        incrementalOrders !== null && incrementalOrders > 0 ? totalMinor / incrementalOrders : null,
      roi:
        incrementalRevenue && totalMinor > 0
          ? (incrementalRevenue.estimate - totalMinor) / totalMinor
          : null,
      funnel,
      suppressed,
    };
  }
}
