import { ApiProperty } from '@nestjs/swagger';
import type { Campaign } from '../campaigns.repository';
import type { Offer } from '../offers.repository';

const obj = { type: 'object', additionalProperties: true } as const;

export class CampaignResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['draft', 'active', 'paused', 'ended'] }) status!: string;
  @ApiProperty(obj) trigger!: Record<string, unknown>;
  @ApiProperty(obj) audience!: Record<string, unknown>;
  @ApiProperty(obj) reward!: Record<string, unknown>;
  @ApiProperty(obj) message!: Record<string, unknown>;
  @ApiProperty(obj) caps!: Record<string, unknown>;
  @ApiProperty() holdoutBp!: number;
  @ApiProperty() attributionDays!: number;
  @ApiProperty({ type: String, nullable: true }) startsAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) endsAt!: string | null;
  @ApiProperty() spentMinor!: number;
  @ApiProperty() spentPoints!: number;
  @ApiProperty(obj) overrides!: Record<string, boolean>;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;

  static from(c: Campaign): CampaignResponseDto {
    return {
      id: c.id,
      name: c.name,
      status: c.status,
      trigger: c.trigger,
      audience: c.audience,
      reward: c.reward,
      message: c.message,
      caps: c.caps,
      holdoutBp: c.holdoutBp,
      attributionDays: c.attributionDays,
      startsAt: c.startsAt?.toISOString() ?? null,
      endsAt: c.endsAt?.toISOString() ?? null,
      spentMinor: c.spentMinor,
      spentPoints: c.spentPoints,
      overrides: c.overrides,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}

export class CampaignPageResponseDto {
  @ApiProperty({ type: [CampaignResponseDto] }) items!: CampaignResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CampaignPreviewResponseDto {
  @ApiProperty() audienceSize!: number;
  @ApiProperty() expectedTreated!: number;
  @ApiProperty() expectedHoldout!: number;
  @ApiProperty() unitCostMinor!: number;
  @ApiProperty() unitPoints!: number;
  @ApiProperty() expectedCostMinor!: number;
  @ApiProperty() expectedPoints!: number;
  @ApiProperty({ type: Number, nullable: true }) budgetMinor!: number | null;
  @ApiProperty({ type: Number, nullable: true }) budgetPoints!: number | null;
  @ApiProperty({ type: Number, nullable: true }) offersWithinBudget!: number | null;
}

export class OfferResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() campaignId!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty({ enum: ['treatment', 'holdout'] }) arm!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true }) openedAt!: string | null;

  static from(o: Offer): OfferResponseDto {
    return {
      id: o.id,
      campaignId: o.campaignId,
      memberId: o.memberId,
      arm: o.arm,
      status: o.status,
      openedAt: o.openedAt?.toISOString() ?? null,
    };
  }
}

/** Results: arms, uplift with its 95 % CI, incremental orders/revenue, cost, ROI, funnel. */
export class CampaignResultsResponseDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty() attributionDays!: number;
  @ApiProperty(obj) treatment!: Record<string, unknown>;
  @ApiProperty(obj) holdout!: Record<string, unknown>;
  @ApiProperty({ ...obj, nullable: true, description: '{ estimate, low, high, z, pValue }' })
  uplift!: Record<string, unknown> | null;
  @ApiProperty({ ...obj, nullable: true }) incrementalConversions!: Record<string, unknown> | null;
  @ApiProperty({ type: Number, nullable: true }) incrementalOrders!: number | null;
  @ApiProperty({ ...obj, nullable: true }) incrementalRevenueMinor!: Record<string, unknown> | null;
  @ApiProperty(obj) cost!: Record<string, unknown>;
  @ApiProperty({ type: Number, nullable: true }) costPerIncrementalOrderMinor!: number | null;
  @ApiProperty({ type: Number, nullable: true }) roi!: number | null;
  @ApiProperty(obj) funnel!: Record<string, unknown>;
  @ApiProperty(obj) suppressed!: Record<string, unknown>;
}
