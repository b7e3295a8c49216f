import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

const MAX_MINOR = 1e13;

export class CreateTierRequestDto {
  @ApiProperty({ example: 'gold', description: 'Stable code, unique per brand' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
    message: 'code must be lowercase letters, digits, _ or -',
  })
  code!: string;

  @ApiProperty({ example: 'Gold', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    minimum: 0,
    maximum: 100,
    description: '0 is the entry tier; higher is better; unique',
  })
  @IsInt()
  @Min(0)
  @Max(100)
  rank!: number;

  @ApiPropertyOptional({
    minimum: 0,
    default: 0,
    description: 'Rolling 12-month qualifying spend, minor units',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  minSpendMinor?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  minOrders?: number;

  @ApiPropertyOptional({
    minimum: 0,
    default: 0,
    description: 'Points from behaviour rules in 12 months',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  minEngagementPoints?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100_000,
    default: 10_000,
    description: 'Earning multiplier, basis points (10,000 = ×1)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  multiplierBp?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { dropEarlyAccessMinutes: 30, birthdayGift: true, exclusiveCoupons: ['GOLD10'] },
  })
  @IsOptional()
  @IsObject()
  perks?: Record<string, unknown>;
}

export class UpdateTierRequestDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
    message: 'code must be lowercase letters, digits, _ or -',
  })
  code?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  rank?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  minSpendMinor?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  minOrders?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  minEngagementPoints?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100_000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  multiplierBp?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  perks?: Record<string, unknown>;
}
