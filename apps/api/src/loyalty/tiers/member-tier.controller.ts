import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  ParseUuidPipe,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  MemberTierResponseDto,
  TierHistoryPageResponseDto,
  TierHistoryResponseDto,
  TiersService,
} from '@app/loyalty';

const toPage = (page: {
  items: Parameters<typeof TierHistoryResponseDto.from>[0][];
  nextCursor: string | null;
}) => ({
  items: page.items.map((row) => TierHistoryResponseDto.from(row)),
  nextCursor: page.nextCursor,
});

@ApiTags('loyalty tiers')
@Controller('v1')
export class MemberTierController {
  constructor(@Inject(TiersService) private readonly tiers: TiersService) {}

  @Get('me/tier')
  @MemberAuth()
  @ApiOperation({
    summary: 'The signed-in member’s tier, perks, multiplier, progress to the next tier and review',
  })
  @ApiOkResponse({ type: MemberTierResponseDto })
  @ApiNotFoundResponse({ description: 'The brand has no tiers', type: ErrorResponseDto })
  async mine(@CurrentPrincipal() member: MemberPrincipal): Promise<MemberTierResponseDto> {
    return MemberTierResponseDto.from(
      member.id,
      await this.tiers.status(member.brandId, member.id),
    );
  }

  @Get('me/tier/history')
  @MemberAuth()
  @ApiOperation({ summary: 'The signed-in member’s tier changes, newest first' })
  @ApiOkResponse({ type: TierHistoryPageResponseDto })
  async myHistory(
    @CurrentPrincipal() member: MemberPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<TierHistoryPageResponseDto> {
    return toPage(await this.tiers.history(member.brandId, member.id, query));
  }

  @Get('members/:id/tier')
  @StaffAuth()
  @ApiOperation({ summary: 'A member’s tier and progress (staff)' })
  @ApiOkResponse({ type: MemberTierResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async memberTier(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<MemberTierResponseDto> {
    return MemberTierResponseDto.from(id, await this.tiers.statusForStaff(staff.brandId, id));
  }

  @Get('members/:id/tier/history')
  @StaffAuth()
  @ApiOperation({ summary: 'A member’s tier changes, newest first (staff)' })
  @ApiOkResponse({ type: TierHistoryPageResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async memberHistory(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<TierHistoryPageResponseDto> {
    return toPage(await this.tiers.historyForStaff(staff.brandId, id, query));
  }
}
