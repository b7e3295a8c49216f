import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Ip,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { PageQueryDto } from '@app/common';
import {
  ConfirmationResponseDto,
  CreateReservationRequestDto,
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

  @Post('drops/:id/reservations')
  @MemberAuth()
  // The reservation script counts attempts per member and per IP itself (one Redis round trip).
  @SkipThrottle()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Reserve units of a SKU (member): a hold that lapses after the drop’s holdSeconds',
    description:
      'Atomic in Redis (drop state, tier window, per-member limit across holds and orders, one active hold per SKU, stock), recorded in Postgres. A retry with the same idempotencyKey returns the same reservation (200); the same key with another body is 409 `drops.idempotency_conflict`. 409 `drops.not_on_sale`, `drops.sold_out`, `drops.member_limit_reached`, `drops.active_hold_exists`, `drops.raffle_mode`; 403 `drops.early_access_tier_required`; 404 `drops.sku_not_found`; 429 `drops.reservation_rate_limited` (per member and per IP).',
  })
  @ApiCreatedResponse({ type: ReservationResponseDto })
  @ApiOkResponse({ description: 'A retry: the original reservation', type: ReservationResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async reserve(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) dropId: string,
    @Body() body: CreateReservationRequestDto,
    @Ip() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationResponseDto> {
    const result = await this.reservations.reserve(member.brandId, member.id, dropId, {
      ...body,
      clientIp: ip,
    });
    if (result.duplicate) void reply.status(HttpStatus.OK);
    return ReservationResponseDto.from(result.reservation);
  }

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
