import { Inject, Injectable } from '@nestjs/common';
import {
  type DateRange,
  dayStart,
  ratio,
  resolveRange,
  round4,
  splitWindow,
  uplift,
  wholeMonths,
} from './analytics-maths';
import { AnalyticsRollupRepository } from './analytics-rollup.repository';
import { InvalidRangeError } from './analytics.errors';
import {
  AnalyticsRepository,
  type CampaignArmRow,
  type CohortRow,
  type CommunityRow,
  type DailyOrdersRow,
  type OrderSummaryRow,
  type PointsRow,
} from './analytics.repository';
import { unionPeriods } from './member-bitmap';

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

/** The figures of a window that the rollups serve (the rest is always live SQL). */
interface WindowFigures {
  summary: OrderSummaryRow;
  daily: DailyOrdersRow[];
  cohorts: CohortRow[];
  activity: PointsRow & { active: number };
  community: CommunityRow;
}

/**
 * The brand dashboard: KPIs over a window. Whole UTC days the rollup job has covered are read from
 * the rollups, the rest of the window (today, partial days) with live SQL over the operational
 * tables; `live: true` computes everything live (ADR 0021).
 */
@Injectable()
export class AnalyticsService {
  constructor(
    @Inject(AnalyticsRepository) private readonly repo: AnalyticsRepository,
    @Inject(AnalyticsRollupRepository) private readonly rollups: AnalyticsRollupRepository,
  ) {}

  range(from?: Date, to?: Date, now = new Date()): DateRange {
    const resolved = resolveRange(now, from, to);
    if ('error' in resolved) throw new InvalidRangeError(resolved.error);
    return resolved.range;
  }

  async dashboard(
    brandId: string,
    query: { from?: Date; to?: Date },
    now = new Date(),
    options: { live?: boolean } = {},
  ): Promise<Dashboard> {
    const range = this.range(query.from, query.to, now);
    const [
      { summary, daily, cohorts, activity, community },
      total,
      liability,
      rewards,
      topRewards,
      coupons,
      lifecycle,
      clv,
      arms,
      drops,
    ] = await Promise.all([
      options.live ? this.liveFigures(brandId, range) : this.windowFigures(brandId, range),
      this.repo.memberCount(brandId),
      this.repo.liability(brandId, now),
      this.repo.rewardUsage(brandId, range),
      this.repo.topRewards(brandId, range),
      this.repo.couponUsage(brandId, range),
      this.repo.lifecycle(brandId),
      this.repo.clv(brandId),
      this.repo.campaignArms(brandId, range),
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

  private async liveFigures(brandId: string, range: DateRange): Promise<WindowFigures> {
    const [summary, daily, cohorts, activity, community] = await Promise.all([
      this.repo.orderSummary(brandId, range),
      this.repo.dailyOrders(brandId, range),
      this.repo.cohorts(brandId, range),
      this.repo.pointsAndActivity(brandId, range),
      this.repo.community(brandId, range),
    ]);
    return { summary, daily, cohorts, activity, community };
  }

  /**
   * The same figures from the rollups for whole rolled-up days plus live slices: additive ones
   * summed, distinct members as the union of the days' member bitmaps and the slices' members.
   */
  private async windowFigures(brandId: string, range: DateRange): Promise<WindowFigures> {
    const state = await this.rollups.state(brandId);
    const { rolled, live } = splitWindow(range, state?.throughDay ?? null);
    if (!state || !rolled) return this.liveFigures(brandId, range);
    const [days, memberDays, cohorts, liveDaily, liveSums, liveMembers] = await Promise.all([
      this.rollups.daily(brandId, rolled.from, rolled.to),
      this.rollups.memberDays(brandId, rolled.from, rolled.to, wholeMonths(rolled.from, rolled.to)),
      this.rollups.cohorts(brandId, range, dayStart(state.throughDay)),
      Promise.all(live.map((slice) => this.repo.dailyOrders(brandId, slice))),
      Promise.all(live.map((slice) => this.rollups.liveSums(brandId, slice))),
      Promise.all(live.map((slice) => this.rollups.liveMembers(brandId, slice))),
    ]);
    const { customers, active, posters } = unionPeriods(memberDays);
    for (const member of liveMembers.flat()) {
      customers.addMember(member, member.orders);
      if (member.active) active.add(member);
      if (member.poster) posters.add(member);
    }
    const sums = [...days, ...liveSums].reduce(
      (total, row) => ({
        orders: total.orders + row.orders,
        revenueMinor: total.revenueMinor + row.revenueMinor,
        earned: total.earned + row.earned,
        redeemed: total.redeemed + row.redeemed,
        expired: total.expired + row.expired,
        posts: total.posts + row.posts,
        comments: total.comments + row.comments,
        reviews: total.reviews + row.reviews,
        reviewedOrders: total.reviewedOrders + row.reviewedOrders,
      }),
      {
        orders: 0,
        revenueMinor: 0,
        earned: 0,
        redeemed: 0,
        expired: 0,
        posts: 0,
        comments: 0,
        reviews: 0,
        reviewedOrders: 0,
      },
    );
    const rolledDaily = days
      .filter((row) => row.orders > 0)
      .map((row) => ({ day: row.day, orders: row.orders, revenueMinor: row.revenueMinor }));
    // The live slices lie before and after the rolled-up days, on days of their own.
    const daily = [...rolledDaily, ...liveDaily.flat()].sort((x, y) => x.day.localeCompare(y.day));
    return {
      summary: {
        customers: customers.customers.size,
        repeatCustomers: customers.repeaters.size,
        orders: sums.orders,
        revenueMinor: sums.revenueMinor,
      },
      daily,
      cohorts,
      activity: {
        earned: sums.earned,
        redeemed: sums.redeemed,
        expired: sums.expired,
        active: active.size,
      },
      community: {
        posters: posters.size,
        posts: sums.posts,
        comments: sums.comments,
        reviews: sums.reviews,
        reviewedOrders: sums.reviewedOrders,
      },
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
