import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { formatCouponCode } from '../coupons/coupon-code';
import { COUPON_REJECTIONS, type CouponKind, type CouponRejection } from '../coupons/coupon-rules';
import type { CouponTemplate } from '../coupons/coupon-templates.repository';
import type { Coupon } from '../coupons/coupons.repository';
import { COUPON_KINDS } from './coupon-template.request.dto';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class CouponTemplateResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: COUPON_KINDS }) kind!: CouponKind;
  @ApiProperty() value!: number;
  @ApiProperty({ type: String, nullable: true }) freeProductId!: string | null;
  @ApiProperty() minSpendMinor!: number;
  @ApiProperty({ type: Number, nullable: true }) validDays!: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) validFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) validTo!: string | null;
  @ApiProperty() stackable!: boolean;
  @ApiProperty({ type: Number, nullable: true }) budgetMinor!: number | null;
  @ApiProperty() spentMinor!: number;
  @ApiProperty({ type: Number, nullable: true }) maxIssued!: number | null;
  @ApiProperty() issuedCount!: number;
  @ApiProperty({ type: Number, nullable: true }) perMemberCap!: number | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(t: CouponTemplate): CouponTemplateResponseDto {
    return {
      id: t.id,
      name: t.name,
      kind: t.kind,
      value: t.value,
      freeProductId: t.freeProductId,
      minSpendMinor: t.minSpendMinor,
      validDays: t.validDays,
      validFrom: iso(t.validFrom),
      validTo: iso(t.validTo),
      stackable: t.stackable,
      budgetMinor: t.budgetMinor,
      spentMinor: t.spentMinor,
      maxIssued: t.maxIssued,
      issuedCount: t.issuedCount,
      perMemberCap: t.perMemberCap,
      active: t.active,
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    };
  }
}

export class CouponTemplatePageResponseDto {
  @ApiProperty({ type: [CouponTemplateResponseDto] }) items!: CouponTemplateResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CouponResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) templateId!: string;
  @ApiProperty({ example: 'ABCDE-FGHJK' }) code!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) memberId!: string | null;
  @ApiProperty({ enum: ['issued', 'redeemed', 'expired', 'void'] }) status!: string;
  @ApiProperty() source!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) expiresAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) redeemedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) discountMinor!: number | null;
  @ApiPropertyOptional({ enum: COUPON_KINDS }) kind?: CouponKind;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() value?: number;
  @ApiPropertyOptional() minSpendMinor?: number;

  static from(c: Coupon, template?: CouponTemplate | null): CouponResponseDto {
    return {
      id: c.id,
      templateId: c.templateId,
      code: formatCouponCode(c.code),
      memberId: c.memberId,
      status: c.status,
      source: c.source,
      issuedAt: c.issuedAt.toISOString(),
      expiresAt: iso(c.expiresAt),
      redeemedAt: iso(c.redeemedAt),
      discountMinor: c.discountMinor,
      ...(template
        ? {
            kind: template.kind,
            name: template.name,
            value: template.value,
            minSpendMinor: template.minSpendMinor,
          }
        : {}),
    };
  }
}

export class CouponPageResponseDto {
  @ApiProperty({ type: [CouponResponseDto] }) items!: CouponResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CouponValidationResponseDto {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ description: 'Discount for this order, minor units (0 when invalid)' })
  discountMinor!: number;
  @ApiProperty({ enum: COUPON_REJECTIONS, nullable: true, type: String })
  reason!: CouponRejection | null;
  @ApiProperty({ type: String, nullable: true, enum: COUPON_KINDS }) kind!: CouponKind | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'May be combined with other codes' })
  stackable!: boolean | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) expiresAt!: string | null;
}

export class CouponRedemptionResponseDto {
  @ApiProperty({ format: 'uuid' }) couponId!: string;
  @ApiProperty({ example: 'ABCDE-FGHJK' }) code!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty() discountMinor!: number;
  @ApiProperty({ enum: COUPON_KINDS }) kind!: CouponKind;
  @ApiProperty({ format: 'date-time' }) redeemedAt!: string;
}
