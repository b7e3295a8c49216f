import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MemberAuth, type MemberPrincipal } from '@app/identity';
import {
  AvailableRewardPageResponseDto,
  AvailableRewardResponseDto,
  CouponPageResponseDto,
  CouponResponseDto,
  CouponsService,
  MyCouponsQueryDto,
  RewardsService,
} from '@app/loyalty';
import { PageQueryDto } from '@app/common';

/** The signed-in member's coupons and rewards. */
@ApiTags('me')
@MemberAuth()
@Controller('v1/me')
export class MeRewardsController {
  constructor(
    @Inject(CouponsService) private readonly coupons: CouponsService,
    @Inject(RewardsService) private readonly rewards: RewardsService,
  ) {}

  @Get('rewards')
  @ApiOperation({
    summary: 'Rewards I can redeem now (active, in window, in stock, my tier), with `affordable`',
  })
  @ApiOkResponse({ type: AvailableRewardPageResponseDto })
  async myRewards(
    @CurrentPrincipal() member: MemberPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<AvailableRewardPageResponseDto> {
    const page = await this.rewards.availableFor(member.brandId, member.id, query);
    return {
      balance: page.balance,
      items: page.items.map((r) => AvailableRewardResponseDto.fromAvailable(r)),
      nextCursor: page.nextCursor,
    };
  }

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
