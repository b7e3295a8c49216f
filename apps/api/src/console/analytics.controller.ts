import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnalyticsQueryDto, DashboardCache, DashboardResponseDto } from '@app/analytics';
import { CurrentPrincipal, ErrorResponseDto, StaffAuth, type StaffPrincipal } from '@app/identity';

/** Brand KPIs for the console dashboard. */
@ApiTags('analytics')
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(@Inject(DashboardCache) private readonly dashboards: DashboardCache) {}

  @Get('dashboard')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({
    summary: 'Every KPI of a window [from, to) — owner, marketer',
    description:
      'Repurchase rate and cohorts by first-order month, purchase frequency, AOV, CLV (timing ' +
      'model), churn (lifecycle), active members, points earned/redeemed/expired, redemption rate, ' +
      'liability, reward and coupon usage, campaign uplift (treatment vs holdout), community ' +
      'engagement and drops. Default window: the 90 days up to the current minute; at most 731 ' +
      'days (400 `analytics.invalid_range`). Fully refunded orders do not count; revenue is net ' +
      'of refunds. A result is cached for 60 s per brand and window.',
  })
  @ApiOkResponse({ type: DashboardResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async dashboard(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: AnalyticsQueryDto,
  ): Promise<DashboardResponseDto> {
    return DashboardResponseDto.from(await this.dashboards.dashboard(staff.brandId, query));
  }
}
