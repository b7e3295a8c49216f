import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
import { PageQueryDto } from '@app/common';

const MAX_MINOR = Number.MAX_SAFE_INTEGER;

export class CheckoutLineDto {
  @ApiProperty({ example: 'sku-123' })
  @IsString()
  @Length(1, 200)
  productId!: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;

  @ApiProperty({ minimum: 0, description: 'Unit price in minor units' })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  unitPriceMinor!: number;
}

export class ValidateCouponRequestDto {
  @ApiProperty({ example: 'ABCDE-FGHJK', description: 'Case, spaces and dashes are ignored' })
  @IsString()
  @Length(1, 64)
  code!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for codes issued to a member' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiProperty({ minimum: 0, description: 'Order subtotal before this coupon, minor units' })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  orderSubtotalMinor!: number;

  @ApiPropertyOptional({ type: [String], description: 'Products in the cart (informative)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  productIds?: string[];

  @ApiPropertyOptional({
    type: [CheckoutLineDto],
    description: 'Cart lines; free_item coupons are worth the free product’s unit price',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CheckoutLineDto)
  lines?: CheckoutLineDto[];

  @ApiPropertyOptional({
    example: 'EUR',
    description:
      'ISO 4217; must be the programme currency when given (400 loyalty.currency_mismatch)',
  })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;
}

export class RedeemCouponRequestDto extends ValidateCouponRequestDto {
  @ApiProperty({ description: 'The storefront’s order id: redeem is idempotent on it' })
  @IsString()
  @Length(1, 200)
  orderId!: string;
}

export class MyCouponsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['issued', 'redeemed', 'expired'] })
  @IsOptional()
  @IsIn(['issued', 'redeemed', 'expired'])
  status?: 'issued' | 'redeemed' | 'expired';
}
