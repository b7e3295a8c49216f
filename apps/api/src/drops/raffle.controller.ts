import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  RaffleEntryRequestDto,
  RaffleEntryResponseDto,
  RaffleResponseDto,
  RaffleService,
} from '@app/drops';
import {
  Authenticated,
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  ParseUuidPipe,
  STAFF_ROLES,
  type StaffPrincipal,
} from '@app/identity';

@ApiTags('drops')
@Controller('v1/drops/:id/raffle')
export class RaffleController {
  constructor(@Inject(RaffleService) private readonly raffles: RaffleService) {}

  @Post('entries')
  @MemberAuth()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Enter a raffle drop for a SKU (member), during its entry window',
    description:
      '409 `drops.raffle_closed`, `drops.raffle_already_entered`, `drops.not_a_raffle`, `drops.member_limit_reached`.',
  })
  @ApiCreatedResponse({ type: RaffleEntryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async enter(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) dropId: string,
    @Body() body: RaffleEntryRequestDto,
  ): Promise<RaffleEntryResponseDto> {
    return RaffleEntryResponseDto.from(
      await this.raffles.enter(member.brandId, member.id, dropId, {
        skuId: body.skuId,
        quantity: body.quantity ?? 1,
      }),
    );
  }

  @Get()
  @Authenticated({ member: true, staff: STAFF_ROLES })
  @ApiOperation({
    summary:
      'The raffle: entries, seed commitment; after the draw the seed and winners to replay it',
  })
  @ApiOkResponse({ type: RaffleResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async view(
    @CurrentPrincipal() principal: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) dropId: string,
  ): Promise<RaffleResponseDto> {
    return RaffleResponseDto.from(await this.raffles.view(principal.brandId, dropId));
  }
}
