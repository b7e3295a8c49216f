import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TierProgress } from '../tier-maths';
import type { Tier, TierHistoryRow } from '../tiers.repository';
import type { MemberTierStatus } from '../tiers.service';

export class TierResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() rank!: number;
  @ApiProperty() minSpendMinor!: number;
  @ApiProperty() minOrders!: number;
  @ApiProperty() minEngagementPoints!: number;
  @ApiProperty({ description: 'Basis points (10,000 = ×1)' }) multiplierBp!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) perks!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(tier: Tier): TierResponseDto {
    return {
      id: tier.id,
      code: tier.code,
      name: tier.name,
      rank: tier.rank,
      minSpendMinor: tier.minSpendMinor,
      minOrders: tier.minOrders,
      minEngagementPoints: tier.minEngagementPoints,
      multiplierBp: tier.multiplierBp,
      perks: tier.perks,
      createdAt: tier.createdAt.toISOString(),
      updatedAt: tier.updatedAt.toISOString(),
    };
  }
}

export class TierListResponseDto {
  @ApiProperty({ type: [TierResponseDto] }) items!: TierResponseDto[];
}

export class ThresholdProgressDto {
  @ApiProperty() have!: number;
  @ApiProperty() need!: number;
  @ApiProperty() remaining!: number;
}

export class TierRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() rank!: number;

  static from(tier: Tier): TierRefDto {
    return { id: tier.id, code: tier.code, name: tier.name, rank: tier.rank };
  }
}

export class TierProgressDto {
  @ApiProperty({ type: TierRefDto }) next!: TierRefDto;
  @ApiProperty({ type: ThresholdProgressDto }) spendMinor!: ThresholdProgressDto;
  @ApiProperty({ type: ThresholdProgressDto }) orders!: ThresholdProgressDto;
  @ApiProperty({ type: ThresholdProgressDto }) engagementPoints!: ThresholdProgressDto;
  @ApiProperty({ description: 'Every threshold of the next tier is met' }) qualifies!: boolean;

  static from(progress: TierProgress<Tier>): TierProgressDto {
    return {
      next: TierRefDto.from(progress.next),
      spendMinor: progress.spendMinor,
      orders: progress.orders,
      engagementPoints: progress.engagementPoints,
      qualifies: progress.qualifies,
    };
  }
}

export class TierWarningDto {
  @ApiProperty({ format: 'date-time' }) warnedAt!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'The review that downgrades unless requalified',
  })
  reviewAt!: string;
  @ApiPropertyOptional({
    type: TierRefDto,
    nullable: true,
    description: 'Tier kept if nothing changes',
  })
  downgradeTo!: TierRefDto | null;
}

export class QualifyingStatsDto {
  @ApiProperty({ format: 'date-time' }) windowStart!: string;
  @ApiProperty() spendMinor!: number;
  @ApiProperty() orders!: number;
  @ApiProperty() engagementPoints!: number;
}

export class MemberTierResponseDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({ type: TierResponseDto }) tier!: TierResponseDto;
  @ApiProperty({ description: 'Earning multiplier, basis points' }) multiplierBp!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) perks!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ format: 'date-time' }) nextReviewAt!: string;
  @ApiProperty({ type: QualifyingStatsDto }) qualifying!: QualifyingStatsDto;
  @ApiProperty({ type: TierProgressDto, nullable: true, description: 'Null at the top tier' })
  progress!: TierProgressDto | null;
  @ApiProperty({ type: TierWarningDto, nullable: true }) warning!: TierWarningDto | null;

  static from(memberId: string, status: MemberTierStatus): MemberTierResponseDto {
    return {
      memberId,
      tier: TierResponseDto.from(status.tier),
      multiplierBp: status.tier.multiplierBp,
      perks: status.tier.perks,
      since: status.since.toISOString(),
      nextReviewAt: status.nextReviewAt.toISOString(),
      qualifying: {
        windowStart: status.windowStart.toISOString(),
        ...status.stats,
      },
      progress: status.progress ? TierProgressDto.from(status.progress) : null,
      warning: status.downgradeWarnedAt
        ? {
            warnedAt: status.downgradeWarnedAt.toISOString(),
            reviewAt: status.nextReviewAt.toISOString(),
            downgradeTo: status.atRiskTo ? TierRefDto.from(status.atRiskTo) : null,
          }
        : null,
    };
  }
}

export class TierHistoryResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) fromTierId!: string | null;
  @ApiProperty({ format: 'uuid' }) toTierId!: string;
  @ApiProperty({ enum: ['enrolled', 'upgrade', 'review_downgrade'] }) reason!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(row: Omit<TierHistoryRow, 'brandId' | 'memberId'>): TierHistoryResponseDto {
    return {
      id: row.id,
      fromTierId: row.fromTierId,
      toTierId: row.toTierId,
      reason: row.reason,
      details: row.details,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class TierHistoryPageResponseDto {
  @ApiProperty({ type: [TierHistoryResponseDto] }) items!: TierHistoryResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
