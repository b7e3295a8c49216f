import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const DROP_MODES = ['first_come', 'raffle'] as const;
const nullable = () => ValidateIf((_o, v) => v !== null && v !== undefined);

export class DropSkuRequestDto {
  @ApiProperty({ maxLength: 64, example: 'SNKR-42', description: 'The brand’s SKU code' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/)
  id!: string;

  @ApiProperty({ maxLength: 120 })
  @IsString()
  @Length(1, 120)
  productId!: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 120 })
  @nullable()
  @IsString()
  @Length(1, 120)
  category?: string | null;

  @ApiProperty({ minimum: 0, description: 'Unit price in minor units (programme currency)' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  priceMinor!: number;

  @ApiProperty({ minimum: 0, maximum: 1_000_000 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  stock!: number;

  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'Units per member (holds + orders)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  perMemberLimit?: number;
}

export class CreateDropRequestDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @IsString()
  @Length(0, 120)
  hostName?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'https only' })
  @nullable()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @Length(1, 2000)
  streamUrl?: string | null;

  @ApiPropertyOptional({ enum: DROP_MODES, default: 'first_come' })
  @IsOptional()
  @IsIn(DROP_MODES)
  mode?: (typeof DROP_MODES)[number];

  @ApiPropertyOptional({ type: [String], description: 'Tier ids that may buy from earlyAccessAt' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  earlyAccessTierIds?: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @nullable()
  @Type(() => Date)
  @IsDate()
  earlyAccessAt?: Date | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'Public start' })
  @Type(() => Date)
  @IsDate()
  startsAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  @Type(() => Date)
  @IsDate()
  endsAt!: Date;

  @ApiPropertyOptional({ minimum: 10, maximum: 3600, default: 300, description: 'Hold lifetime' })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(3600)
  holdSeconds?: number;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @nullable()
  @Type(() => Date)
  @IsDate()
  raffleOpensAt?: Date | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @nullable()
  @Type(() => Date)
  @IsDate()
  raffleClosesAt?: Date | null;

  @ApiProperty({ type: [DropSkuRequestDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DropSkuRequestDto)
  skus!: DropSkuRequestDto[];
}

/** Drafts only; `skus` replaces the list. */
export class UpdateDropRequestDto extends PartialType(CreateDropRequestDto) {}
