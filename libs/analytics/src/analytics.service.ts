import { Inject, Injectable } from '@nestjs/common';
import { type DateRange, ratio, resolveRange, round4, uplift } from './analytics-maths';
import { InvalidRangeError } from './analytics.errors';
import { AnalyticsRepository, type CampaignArmRow } from './analytics.repository';

export interface Dashboard {
  range: { from: string; to: string };
  members: { total: number; active: number };
  orders: {
    customers: number;
    repeatCustomers: number;
    orders: number;
    revenueMinor: number;
    repurchaseRate: number | null;
    purchaseFrequency: number | null;
    averageOrderValueMinor: number | null;
    daily: { day: string; orders: number; revenueMinor: number }[];
    cohorts: {
      month: string;
      customers: number;
      repeaters: number;
      repurchaseRate: number | null;
    }[];
  };
  clv: {
    members: number;
    averageMinor: number | null;
    totalMinor: number;
    averagePAlive: number | null;
  };
  lifecycle: { stages: Record<string, number>; segmented: number; churnRate: number | null };
  points: {
    earned: number;
    redeemed: number;
    expired: number;
    redemptionRate: number | null;
    liabilityPoints: number;
    liabilityMinor: number;
  };
  rewards: {
    redemptions: number;
    members: number;
    points: number;
    top: { rewardId: string; name: string; redemptions: number; points: number }[];
  };
  coupons: { issued: number; redeemed: number; discountMinor: number; usageRate: number | null };
  campaigns: CampaignSummary[];
  community: {
    posters: number;
    posts: number;
    comments: number;
    reviews: number;
    reviewsPerOrder: number | null;
    reviewRate: number | null;
  };
  drops: {
    id: string;
    title: string;
    status: string;
    startsAt: string;
    peakViewers: number;
    chatMessages: number;
    stock: number;
    sold: number;
    sellThrough: number | null;
    revenueMinor: number;
    report: Record<string, unknown> | null;
  }[];
}

export interface ArmSummary {
  members: number;
  converted: number;
  redeemed: number;
  costMinor: number;
  conversionRate: number | null;
}

export interface CampaignSummary {
  campaignId: string;
  name: string;
  status: string;
  treatment: ArmSummary;
  holdout: ArmSummary;
  /** Treatment minus holdout conversion rate (absolute). */
  uplift: number | null;
}

/** The brand dashboard: KPIs over a window, computed on demand from the operational tables. */
@Injectable()
export class AnalyticsService {
  constructor(@Inject(AnalyticsRepository) private readonly repo: AnalyticsRepository) {}

  range(from?: Date, to?: Date, now = new Date()): DateRange {
    const resolved = resolveRange(now, from, to);
    if ('error' in resolved) throw new InvalidRangeError(resolved.error);
    return resolved.range;
  }

  async dashboard(
    brandId: string,
    query: { from?: Date; to?: Date },
    now = new Date(),
  ): Promise<Dashboard> {
    const range = this.range(query.from, query.to, now);
    const [
      summary,
      daily,
      cohorts,
      activity,
      total,
      liability,
      rewards,
      topRewards,
      coupons,
      lifecycle,
      clv,
      arms,
      community,
      drops,
    ] = await Promise.all([
      this.repo.orderSummary(brandId, range),
      this.repo.dailyOrders(brandId, range),
      this.repo.cohorts(brandId, range),
      this.repo.pointsAndActivity(brandId, range),
      this.repo.memberCount(brandId),
      this.repo.liability(brandId, now),
      this.repo.rewardUsage(brandId, range),
      this.repo.topRewards(brandId, range),
      this.repo.couponUsage(brandId, range),
      this.repo.lifecycle(brandId),
      this.repo.clv(brandId),
      this.repo.campaignArms(brandId, range),
      this.repo.community(brandId, range),
      this.repo.drops(brandId, range),
    ]);
    const stages = Object.fromEntries(lifecycle.map((row) => [row.stage, row.members]));
    const segmented = lifecycle.reduce((sum, row) => sum + row.members, 0);
    return {
      range: { from: range.from.toISOString(), to: range.to.toISOString() },
      members: { total, active: activity.active },
      orders: {
        ...summary,
        repurchaseRate: round4(ratio(summary.repeatCustomers, summary.customers)),
        purchaseFrequency: round4(ratio(summary.orders, summary.customers)),
        averageOrderValueMinor: round4(ratio(summary.revenueMinor, summary.orders)),
        daily,
        cohorts: cohorts.map((row) => ({
          ...row,
          repurchaseRate: round4(ratio(row.repeaters, row.customers)),
        })),
      },
      clv: {
        members: clv.members,
        averageMinor: round4(clv.averageMinor),
        totalMinor: round4(clv.totalMinor) ?? 0,
        averagePAlive: round4(clv.averagePAlive),
      },
      lifecycle: {
        stages,
        segmented,
        churnRate: round4(ratio(stages.churned ?? 0, segmented)),
      },
      points: {
        earned: activity.earned,
        redeemed: activity.redeemed,
        expired: activity.expired,
        redemptionRate: round4(ratio(activity.redeemed, activity.earned)),
        liabilityPoints: liability.points,
        // point_value_micros is the cost of one point in minor units × 10,000.
        liabilityMinor: Math.round((liability.points * liability.pointValueMicros) / 10_000),
      },
      rewards: { ...rewards, top: topRewards },
      coupons: { ...coupons, usageRate: round4(ratio(coupons.redeemed, coupons.issued)) },
      campaigns: summariseCampaigns(arms),
      community: {
        posters: community.posters,
        posts: community.posts,
        comments: community.comments,
        reviews: community.reviews,
        reviewsPerOrder: round4(ratio(community.reviews, summary.orders)),
        reviewRate: round4(ratio(community.reviewedOrders, summary.orders)),
      },
      drops: drops.map((row) => ({
        ...row,
        startsAt: new Date(row.startsAt).toISOString(),
        sellThrough: round4(ratio(row.sold, row.stock)),
      })),
    };
  }
}

function emptyArm(): ArmSummary {
  return { members: 0, converted: 0, redeemed: 0, costMinor: 0, conversionRate: null };
}

/** One summary per campaign from its per-arm rows. */
export function summariseCampaigns(rows: CampaignArmRow[]): CampaignSummary[] {
  const byId = new Map<string, CampaignSummary>();
  for (const row of rows) {
    let summary = byId.get(row.campaignId);
    if (!summary) {
      summary = {
        campaignId: row.campaignId,
        name: row.name,
        status: row.status,
        treatment: emptyArm(),
        holdout: emptyArm(),
        uplift: null,
      };
      byId.set(row.campaignId, summary);
    }
    summary[row.arm] = {
      members: row.members,
      converted: row.converted,
      redeemed: row.redeemed,
      costMinor: row.costMinor,
      conversionRate: round4(ratio(row.converted, row.members)),
    };
  }
  for (const summary of byId.values())
    summary.uplift = round4(uplift(summary.treatment, summary.holdout));
  return [...byId.values()];
}
