import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
} from '@app/identity';
import {
  LedgerEntryResponseDto,
  LedgerPageResponseDto,
  LedgerQueryService,
  PointLotListResponseDto,
  PointLotResponseDto,
  PointsSummaryResponseDto,
} from '@app/loyalty';

/** The signed-in member's points: balance, history and lots. */
@ApiTags('me')
@MemberAuth()
@Controller('v1/me/points')
export class MePointsController {
  constructor(@Inject(LedgerQueryService) private readonly query: LedgerQueryService) {}

  @Get()
  @ApiOperation({
    summary: 'My points: balance, pending, debt, lifetime earned and the next expiry',
  })
  @ApiOkResponse({ type: PointsSummaryResponseDto })
  async summary(@CurrentPrincipal() member: MemberPrincipal): Promise<PointsSummaryResponseDto> {
    return PointsSummaryResponseDto.from(await this.query.summary(member.brandId, member.id));
  }

  @Get('ledger')
  @ApiOperation({ summary: 'My points history, newest first (cursor pagination)' })
  @ApiOkResponse({ type: LedgerPageResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async ledger(
    @CurrentPrincipal() member: MemberPrincipal,
    @Query() page: PageQueryDto,
  ): Promise<LedgerPageResponseDto> {
    const result = await this.query.history(member.brandId, member.id, page);
    return {
      items: result.items.map((e) => LedgerEntryResponseDto.from(e)),
      nextCursor: result.nextCursor,
    };
  }

  @Get('lots')
  @ApiOperation({ summary: 'My open lots: points left and when they expire, soonest first' })
  @ApiOkResponse({ type: PointLotListResponseDto })
  async lots(@CurrentPrincipal() member: MemberPrincipal): Promise<PointLotListResponseDto> {
    const now = new Date();
    const lots = await this.query.openLots(member.brandId, member.id, now);
    return { items: lots.map((lot) => PointLotResponseDto.from(lot, now)) };
  }
}
