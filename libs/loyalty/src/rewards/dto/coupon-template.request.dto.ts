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
import type { CouponKind } from '../coupons/coupon-rules';

export const COUPON_KINDS: CouponKind[] = ['amount_off', 'percent_off', 'free_item'];
const MAX_MINOR = Number.MAX_SAFE_INTEGER;
const nullable = () => ValidateIf((_o, v) => v !== null && v !== undefined);

export class CreateCouponTemplateRequestDto {
  @ApiProperty({ maxLength: 120, example: '€5 off' })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ enum: COUPON_KINDS })
  @IsIn(COUPON_KINDS)
  kind!: CouponKind;

  @ApiPropertyOptional({
    description:
      'amount_off: minor units (> 0); percent_off: basis points (1–10000); free_item: unused',
    example: 500,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  value?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'free_item: the free product id',
  })
  @nullable()
  @IsString()
  @Length(1, 200)
  freeProductId?: string | null;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  minSpendMinor?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Days an issued code stays valid',
  })
  @nullable()
  @IsInt()
  @Min(1)
  @Max(3660)
  validDays?: number | null;

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

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  stackable?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Total discount budget (minor)',
  })
  @nullable()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  budgetMinor?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @nullable()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  maxIssued?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @nullable()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  perMemberCap?: number | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateCouponTemplateRequestDto extends PartialType(CreateCouponTemplateRequestDto) {}

export class IssueCouponRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  memberId!: string;
}
