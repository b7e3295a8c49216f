import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '@app/common';

const obj = { type: 'object', additionalProperties: true } as const;

export class CreateCampaignRequestDto {
  @ApiProperty({ maxLength: 120 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name!: string;

  @ApiProperty({
    ...obj,
    description:
      '{ type, ...params }: purchase_window | days_since_last_purchase {days} | birthday {leadDays} | lifecycle_change {to[], from[]?} | nth_purchase {n, orMore?} | points_expiring | tier_change {direction?, tierIds?} | review_approved | community_joined {communityIds?} | drop_missed {dropIds?}',
  })
  @IsObject()
  trigger!: Record<string, unknown>;

  @ApiPropertyOptional({
    ...obj,
    description: 'Segment conditions (see /v1/segments) plus segmentIds[] (member of any)',
  })
  @IsOptional()
  @IsObject()
  audience?: Record<string, unknown>;

  @ApiProperty({
    ...obj,
    description:
      "{ type: 'coupon', templateId, costMinor? } | { type: 'points', points } | { type: 'multiplier', multiplierBp, days }",
  })
  @IsObject()
  reward!: Record<string, unknown>;

  @ApiPropertyOptional({
    ...obj,
    description:
      "{ template: 'Hi {{firstName}}, {{couponCode}}…', channels: ['in_app', 'webhook'] } — fields: firstName, lastName, campaignName, couponCode, points, expiresAt",
  })
  @IsOptional()
  @IsObject()
  message?: Record<string, unknown>;

  @ApiPropertyOptional({
    ...obj,
    description:
      '{ budgetMinor?, budgetPoints?, perMember?: {max, days}, quietHours?: {start: "HH:MM", end: "HH:MM"}, contactPressure?: {max, days} (default 3 per 7 days) }',
  })
  @IsOptional()
  @IsObject()
  caps?: Record<string, unknown>;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10000,
    default: 1000,
    description: 'Holdout share in basis points',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  holdoutBp?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 14 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  attributionDays?: number;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  startsAt?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  endsAt?: Date;

  @ApiPropertyOptional({ ...obj, description: '{ noCap?: true, noHoldout?: true }' })
  @IsOptional()
  @IsObject()
  overrides?: Record<string, unknown>;
}

export class CampaignListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['draft', 'active', 'paused', 'ended'] })
  @IsOptional()
  @IsIn(['draft', 'active', 'paused', 'ended'])
  status?: 'draft' | 'active' | 'paused' | 'ended';
}
