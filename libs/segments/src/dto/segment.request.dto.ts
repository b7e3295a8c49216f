import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { PageQueryDto } from '@app/common';
import { LIFECYCLE_STAGES, PERSONAS, VALUE_TIERS } from '../lifecycle-policy';

const DEFINITION_DOC =
  'Conditions (all must hold; lists match any value): lifecycle[], valueTiers[], personas[], recency/frequency/monetary {min,max} (0–5), minOrders, maxOrders, tags[], tierIds[], communityIds[], prediction {p7Min,p28Min,pAliveMin,pAliveMax,clv12mMinMinor}; applyTag (tag rule: members are tagged on each recompute)';

export class CreateSegmentRequestDto {
  @ApiProperty({ maxLength: 120 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name!: string;

  @ApiProperty({ description: DEFINITION_DOC, type: 'object', additionalProperties: true })
  @IsObject()
  definition!: Record<string, unknown>;
}

export class UpdateSegmentRequestDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ description: DEFINITION_DOC, type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  definition?: Record<string, unknown>;
}

/** Ad-hoc member listing by computed attributes. */
export class SegmentMembersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  lifecycle?: (typeof LIFECYCLE_STAGES)[number];

  @ApiPropertyOptional({ enum: VALUE_TIERS })
  @IsOptional()
  @IsIn(VALUE_TIERS)
  valueTier?: string;

  @ApiPropertyOptional({ enum: PERSONAS })
  @IsOptional()
  @IsIn(PERSONAS)
  persona?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tag?: string;
}

export class RecomputeSegmentsRequestDto {
  @ApiPropertyOptional({ description: 'Compute as of this instant (default now)' })
  @IsOptional()
  @IsDateString()
  asOf?: string;

  @ApiPropertyOptional({
    description:
      'Lifecycle thresholds for this run (newDays, defaultGapDays, minGapDays, maxGapDays, activeFactor, atRiskFactor, dormantFactor, discountDrivenShare, fullPriceShare)',
    type: 'object',
    additionalProperties: { type: 'number' },
  })
  @IsOptional()
  @IsObject()
  @Type(() => Object)
  lifecycle?: Record<string, number>;
}
