import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MemberAuth, type MemberPrincipal } from '@app/identity';
import {
  CouponPageResponseDto,
  CouponResponseDto,
  CouponsService,
  MyCouponsQueryDto,
} from '@app/loyalty';

/** The signed-in member's coupons and rewards. */
@ApiTags('me')
@MemberAuth()
@Controller('v1/me')
export class MeRewardsController {
  constructor(@Inject(CouponsService) private readonly coupons: CouponsService) {}

  @Get('coupons')
  @ApiOperation({
    summary: 'My coupons, newest first (filter by issued / redeemed / expired)',
  })
  @ApiOkResponse({ type: CouponPageResponseDto })
  async myCoupons(
    @CurrentPrincipal() member: MemberPrincipal,
    @Query() query: MyCouponsQueryDto,
  ): Promise<CouponPageResponseDto> {
    const page = await this.coupons.listForMember(member.brandId, member.id, query);
    return {
      items: page.items.map((c) => CouponResponseDto.from(c, c.template)),
      nextCursor: page.nextCursor,
    };
  }
}
