import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type ApiKeyPrincipal, CurrentPrincipal, ErrorResponseDto } from '@app/identity';
import {
  CouponRedemptionResponseDto,
  CouponValidationResponseDto,
  CouponsService,
  RedeemCouponRequestDto,
  SignedStorefrontRequest,
  ValidateCouponRequestDto,
  formatCouponCode,
} from '@app/loyalty';

/**
 * Checkout endpoints for storefronts: API key plus a fresh HMAC signature (ADR 0008), like order
 * ingestion, so a captured redeem cannot be replayed.
 */
@ApiTags('coupons')
@SignedStorefrontRequest()
@Controller('v1/coupons')
export class StorefrontCouponsController {
  constructor(@Inject(CouponsService) private readonly coupons: CouponsService) {}

  @Post('validate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Check a code against a cart (storefront); writes nothing',
    description:
      'Business rejections answer 200 with `valid: false` and a `reason` (not_found, expired, not_yet_valid, already_redeemed, min_spend_not_met, wrong_member, budget_exhausted, inactive); malformed input is 400.',
  })
  @ApiOkResponse({ type: CouponValidationResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async validate(
    @CurrentPrincipal() storefront: ApiKeyPrincipal,
    @Body() body: ValidateCouponRequestDto,
  ): Promise<CouponValidationResponseDto> {
    const result = await this.coupons.validate(storefront.brandId, {
      ...body,
      memberId: body.memberId?.toLowerCase(),
    });
    return {
      valid: result.valid,
      discountMinor: result.discountMinor,
      reason: result.reason,
      kind: result.template?.kind ?? null,
      stackable: result.template?.stackable ?? null,
      expiresAt: result.coupon?.expiresAt?.toISOString() ?? null,
    };
  }

  @Post('redeem')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Redeem a code on an order (storefront); single use, idempotent on orderId',
    description:
      'The same order redeeming the same code again gets the same result; another order gets 409 `loyalty.coupon_already_redeemed`. Other rejections: 404 `loyalty.coupon_not_found`, 409 `loyalty.coupon_<reason>`.',
  })
  @ApiOkResponse({ type: CouponRedemptionResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async redeem(
    @CurrentPrincipal() storefront: ApiKeyPrincipal,
    @Body() body: RedeemCouponRequestDto,
  ): Promise<CouponRedemptionResponseDto> {
    const { coupon, template, discountMinor } = await this.coupons.redeem(storefront.brandId, {
      ...body,
      memberId: body.memberId?.toLowerCase(),
    });
    return {
      couponId: coupon.id,
      code: formatCouponCode(coupon.code),
      orderId: coupon.redeemedOrderId ?? body.orderId,
      discountMinor,
      kind: template.kind,
      redeemedAt: (coupon.redeemedAt ?? new Date()).toISOString(),
    };
  }
}
