import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type { RewardType } from '../rewards.service';

export const REWARD_TYPES: RewardType[] = [
  'coupon',
  'product',
  'service',
  'experience',
  'donation',
];
const nullable = () => ValidateIf((_o, v) => v !== null && v !== undefined);

export class CreateRewardRequestDto {
  @ApiProperty({ enum: REWARD_TYPES })
  @IsIn(REWARD_TYPES)
  type!: RewardType;

  @ApiProperty({ maxLength: 120, example: 'Free shipping' })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiProperty({ minimum: 1, example: 500 })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  costPoints!: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null: unlimited' })
  @nullable()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  stock?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @nullable()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  perMemberLimit?: number | null;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Lowest tier rank allowed' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  minTierRank?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'Required for type coupon',
  })
  @nullable()
  @IsUUID()
  couponTemplateId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @nullable()
  @Type(() => Date)
  @IsDate()
  validFrom?: Date | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @nullable()
  @Type(() => Date)
  @IsDate()
  validTo?: Date | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateRewardRequestDto extends PartialType(CreateRewardRequestDto) {}
