import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PageQueryDto } from '@app/common';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  AdjustmentRequestDto,
  AdjustmentResponseDto,
  LedgerQueryService,
  LedgerService,
  PointLotListResponseDto,
  PointLotResponseDto,
  PointsSummaryResponseDto,
  StaffLedgerEntryResponseDto,
  StaffLedgerPageResponseDto,
  ledgerIdempotencyKey,
} from '@app/loyalty';

/** A member's points as the brand's staff (owner, marketer) see and adjust them. */
@ApiTags('points')
@StaffAuth('owner', 'marketer')
@Controller('v1/members/:id/points')
export class MemberPointsController {
  constructor(
    @Inject(LedgerQueryService) private readonly query: LedgerQueryService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'A member’s points position (owner, marketer)' })
  @ApiOkResponse({ type: PointsSummaryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async summary(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<PointsSummaryResponseDto> {
    await this.query.assertMember(staff.brandId, id);
    return PointsSummaryResponseDto.from(await this.query.summary(staff.brandId, id));
  }

  @Get('ledger')
  @ApiOperation({ summary: 'A member’s points history with actors and details, newest first' })
  @ApiOkResponse({ type: StaffLedgerPageResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async history(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Query() page: PageQueryDto,
  ): Promise<StaffLedgerPageResponseDto> {
    await this.query.assertMember(staff.brandId, id);
    const result = await this.query.history(staff.brandId, id, page);
    return {
      items: result.items.map((e) => StaffLedgerEntryResponseDto.from(e)),
      nextCursor: result.nextCursor,
    };
  }

  @Get('lots')
  @ApiOperation({ summary: 'A member’s open lots with expiry' })
  @ApiOkResponse({ type: PointLotListResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async lots(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<PointLotListResponseDto> {
    await this.query.assertMember(staff.brandId, id);
    const now = new Date();
    const lots = await this.query.openLots(staff.brandId, id, now);
    return { items: lots.map((lot) => PointLotResponseDto.from(lot, now)) };
  }

  @Post('adjustments')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Adjust a member’s points by ± points with a reason (audited)',
    description:
      'Idempotency-Key header required: a retry returns the same adjustment (200). A credit is a new lot with the programme expiry (repaying debt first); a debit draws lots FIFO and cannot overdraw: 409 `loyalty.insufficient_points`. Reusing a key for a different adjustment: 409 `loyalty.dedupe_key_conflict`. Publishes `points.adjusted` to the member.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: AdjustmentResponseDto })
  @ApiOkResponse({ description: 'A retry: the original adjustment', type: AdjustmentResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async adjust(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Headers('idempotency-key') idempotencyKey: unknown,
    @RequestId() requestId: string,
    @Body() body: AdjustmentRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AdjustmentResponseDto> {
    const key = ledgerIdempotencyKey(idempotencyKey);
    const result = await this.ledger.adjust(staff.brandId, id, {
      points: body.points,
      reason: body.reason.trim(),
      actor: { type: 'staff', id: staff.id, requestId },
      dedupeKey: `adjust:${id}:${key}`,
    });
    if (result.duplicate) void reply.status(HttpStatus.OK);
    return {
      entry: StaffLedgerEntryResponseDto.from(result.entry),
      points: PointsSummaryResponseDto.from(await this.query.summary(staff.brandId, id)),
    };
  }
}
