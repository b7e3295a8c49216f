import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  ConfirmationResponseDto,
  ReservationPageResponseDto,
  ReservationResponseDto,
  ReservationsService,
} from '@app/drops';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  ParseUuidPipe,
} from '@app/identity';

@ApiTags('drops')
@Controller('v1')
export class ReservationsController {
  constructor(@Inject(ReservationsService) private readonly reservations: ReservationsService) {}

  @Post('reservations/:id/confirm')
  @MemberAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Confirm a hold into a paid order (member)',
    description:
      'Goes through the loyalty order path (order id `drop-<reservation id>`, points as for any order). Idempotent: a repeat returns the same result. 409 `drops.reservation_not_held` once expired or cancelled.',
  })
  @ApiOkResponse({ type: ConfirmationResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async confirm(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ConfirmationResponseDto> {
    const result = await this.reservations.confirm(member.brandId, member.id, id);
    return {
      ...ReservationResponseDto.from(result.reservation),
      pointsAwarded: result.pointsAwarded,
    };
  }

  @Delete('reservations/:id')
  @MemberAuth()
  @ApiOperation({ summary: 'Cancel a hold (member); its units return to stock' })
  @ApiOkResponse({ type: ReservationResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async cancel(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ReservationResponseDto> {
    return ReservationResponseDto.from(
      await this.reservations.cancel(member.brandId, member.id, id),
    );
  }

  @Get('me/reservations')
  @MemberAuth()
  @ApiOperation({ summary: 'My reservations, newest first (member)' })
  @ApiOkResponse({ type: ReservationPageResponseDto })
  async mine(
    @CurrentPrincipal() member: MemberPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<ReservationPageResponseDto> {
    const page = await this.reservations.listMine(member.brandId, member.id, query);
    return {
      items: page.items.map((r) => ReservationResponseDto.from(r)),
      nextCursor: page.nextCursor,
    };
  }
}
