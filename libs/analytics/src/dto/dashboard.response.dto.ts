import { ApiProperty } from '@nestjs/swagger';
import type { Dashboard } from '../analytics.service';

const rate = (description: string) => ({ type: Number, nullable: true, description });

class RangeDto {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
}

class MembersDto {
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'Members who ordered or moved points (not by expiry) in the window' })
  active!: number;
}

class DailyDto {
  @ApiProperty({ example: '2026-01-31' }) day!: string;
  @ApiProperty() orders!: number;
  @ApiProperty() revenueMinor!: number;
}

class CohortDto {
  @ApiProperty({ example: '2026-01', description: 'Month (UTC) of the first order ever' })
  month!: string;
  @ApiProperty() customers!: number;
  @ApiProperty({ description: 'Ordered again before the end of the window' }) repeaters!: number;
  @ApiProperty(rate('repeaters / customers')) repurchaseRate!: number | null;
}

class OrdersDto {
  @ApiProperty({ description: 'Members with ≥ 1 order in the window' }) customers!: number;
  @ApiProperty({ description: 'Members with ≥ 2 orders in the window' }) repeatCustomers!: number;
  @ApiProperty({ description: 'Orders not fully refunded' }) orders!: number;
  @ApiProperty({ description: 'Paid minus refunded, minor units' }) revenueMinor!: number;
  @ApiProperty(rate('复购率: repeatCustomers / customers')) repurchaseRate!: number | null;
  @ApiProperty(rate('购买频次: orders / customers')) purchaseFrequency!: number | null;
  @ApiProperty(rate('客单价: revenue / orders (minor units)')) averageOrderValueMinor!:
    number | null;
  @ApiProperty({ type: [DailyDto] }) daily!: DailyDto[];
  @ApiProperty({ type: [CohortDto] }) cohorts!: CohortDto[];
}

class ClvDto {
  @ApiProperty({ description: 'Members scored by the timing model' }) members!: number;
  @ApiProperty(rate('Mean 12-month CLV, minor units')) averageMinor!: number | null;
  @ApiProperty() totalMinor!: number;
  @ApiProperty(rate('Mean probability of being alive')) averagePAlive!: number | null;
}

class LifecycleDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { active: 10 },
  })
  stages!: Record<string, number>;
  @ApiProperty() segmented!: number;
  @ApiProperty(rate('流失率: churned / segmented members')) churnRate!: number | null;
}

class PointsDto {
  @ApiProperty() earned!: number;
  @ApiProperty() redeemed!: number;
  @ApiProperty() expired!: number;
  @ApiProperty(rate('redeemed / earned in the window')) redemptionRate!: number | null;
  @ApiProperty({ description: 'Outstanding points now' }) liabilityPoints!: number;
  @ApiProperty({ description: 'Estimated cost of the outstanding points, minor units' })
  liabilityMinor!: number;
}

class TopRewardDto {
  @ApiProperty({ format: 'uuid' }) rewardId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() redemptions!: number;
  @ApiProperty() points!: number;
}

class RewardsDto {
  @ApiProperty() redemptions!: number;
  @ApiProperty() members!: number;
  @ApiProperty() points!: number;
  @ApiProperty({ type: [TopRewardDto] }) top!: TopRewardDto[];
}

class CouponsDto {
  @ApiProperty() issued!: number;
  @ApiProperty() redeemed!: number;
  @ApiProperty() discountMinor!: number;
  @ApiProperty(rate('redeemed / issued in the window')) usageRate!: number | null;
}

class ArmDto {
  @ApiProperty() members!: number;
  @ApiProperty({ description: 'Ordered within the attribution days after the offer' })
  converted!: number;
  @ApiProperty() redeemed!: number;
  @ApiProperty() costMinor!: number;
  @ApiProperty(rate('converted / members')) conversionRate!: number | null;
}

class CampaignDto {
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: ArmDto }) treatment!: ArmDto;
  @ApiProperty({ type: ArmDto }) holdout!: ArmDto;
  @ApiProperty(rate('Treatment minus holdout conversion rate')) uplift!: number | null;
}

class CommunityDto {
  @ApiProperty() posters!: number;
  @ApiProperty() posts!: number;
  @ApiProperty() comments!: number;
  @ApiProperty() reviews!: number;
  @ApiProperty(rate('reviews written / orders in the window')) reviewsPerOrder!: number | null;
  @ApiProperty(rate('share of the window’s orders with a review')) reviewRate!: number | null;
}

class DropDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty() peakViewers!: number;
  @ApiProperty() chatMessages!: number;
  @ApiProperty() stock!: number;
  @ApiProperty() sold!: number;
  @ApiProperty(rate('sold / stock')) sellThrough!: number | null;
  @ApiProperty() revenueMinor!: number;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'The after-drop report',
  })
  report!: Record<string, unknown> | null;
}

/** The console dashboard: every KPI of the window in one response. */
export class DashboardResponseDto {
  @ApiProperty({ type: RangeDto }) range!: RangeDto;
  @ApiProperty({ type: MembersDto }) members!: MembersDto;
  @ApiProperty({ type: OrdersDto }) orders!: OrdersDto;
  @ApiProperty({ type: ClvDto }) clv!: ClvDto;
  @ApiProperty({ type: LifecycleDto }) lifecycle!: LifecycleDto;
  @ApiProperty({ type: PointsDto }) points!: PointsDto;
  @ApiProperty({ type: RewardsDto }) rewards!: RewardsDto;
  @ApiProperty({ type: CouponsDto }) coupons!: CouponsDto;
  @ApiProperty({ type: [CampaignDto] }) campaigns!: CampaignDto[];
  @ApiProperty({ type: CommunityDto }) community!: CommunityDto;
  @ApiProperty({ type: [DropDto] }) drops!: DropDto[];

  static from(dashboard: Dashboard): DashboardResponseDto {
    return dashboard;
  }
}
