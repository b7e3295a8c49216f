import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

const MAX_MINOR = 1e13;

export class OrderLineRequestDto {
  @ApiPropertyOptional({ minimum: 1, description: 'Defaults to the 1-based position' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  lineNo?: number;

  @ApiProperty({ example: 'SKU-123' })
  @IsString()
  @Length(1, 100)
  productId!: string;

  @ApiPropertyOptional({ example: 'shoes' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;

  @ApiProperty({ minimum: 0, description: 'Minor units' })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  unitPriceMinor!: number;

  @ApiProperty({
    minimum: 0,
    description: 'What was paid for the line after discounts (minor units)',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  paidMinor!: number;
}

export class OrderRequestDto {
  @ApiProperty({ description: "The storefront's order id (idempotency key)", example: 'SO-1001' })
  @IsString()
  @Length(1, 100)
  orderId!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ description: "The storefront's customer id" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  memberExternalId?: string;

  @ApiProperty({ type: [OrderLineRequestDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => OrderLineRequestDto)
  lines!: OrderLineRequestDto[];

  @ApiProperty({ minimum: 0, description: 'Σ lines paidMinor' })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  paidTotalMinor!: number;

  @ApiProperty({ example: 'USD', description: 'Must be the programme currency' })
  @IsString()
  @Matches(/^[A-Z]{3}$/)
  currency!: string;

  @ApiProperty({ enum: ['online', 'offline'] })
  @IsIn(['online', 'offline'])
  channel!: 'online' | 'offline';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  storeId?: string;

  @ApiProperty({ format: 'date-time' })
  @Type(() => Date)
  @IsDate()
  placedAt!: Date;
}

export class RefundLineRequestDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  lineNo!: number;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;
}

export class RefundRequestDto {
  @ApiProperty({ description: "The storefront's refund id (idempotency key)", example: 'RF-1' })
  @IsString()
  @Length(1, 100)
  refundId!: string;

  @ApiPropertyOptional({ description: 'Refund everything still refundable' })
  @IsOptional()
  @IsBoolean()
  full?: boolean;

  @ApiPropertyOptional({ type: [RefundLineRequestDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => RefundLineRequestDto)
  lines?: RefundLineRequestDto[];
}

export class BehaviourEventRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ enum: ['survey', 'share'] })
  @IsIn(['survey', 'share'])
  kind!: 'survey' | 'share';

  @ApiProperty({ description: 'The storefront id of the survey answer / share (idempotency key)' })
  @IsString()
  @Length(1, 100)
  sourceId!: string;
}
