import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  CreateDropRequestDto,
  DropNotFoundError,
  DropPageResponseDto,
  DropReportResponseDto,
  DropResponseDto,
  DropsService,
  UpdateDropRequestDto,
} from '@app/drops';
import {
  Authenticated,
  CurrentPrincipal,
  ErrorResponseDto,
  type MemberPrincipal,
  ParseUuidPipe,
  RequestId,
  STAFF_ROLES,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';

@ApiTags('drops')
@Controller('v1/drops')
export class DropsController {
  constructor(@Inject(DropsService) private readonly drops: DropsService) {}

  @Post()
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a drop as a draft (owner/marketer)',
    description:
      'Title, host, schedule (earlyAccessAt for earlyAccessTierIds, startsAt, endsAt), SKUs with price, stock and per-member limit, optional https stream URL, mode first_come or raffle (with the raffle entry window).',
  })
  @ApiCreatedResponse({ type: DropResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: CreateDropRequestDto,
  ): Promise<DropResponseDto> {
    return DropResponseDto.from(
      await this.drops.create({ brandId: staff.brandId, id: staff.id, requestId }, body),
    );
  }

  @Get()
  @StaffAuth('owner', 'marketer', 'moderator')
  @ApiOperation({ summary: 'The brand’s drops, newest first (staff)' })
  @ApiOkResponse({ type: DropPageResponseDto })
  async list(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<DropPageResponseDto> {
    const page = await this.drops.list(staff.brandId, query);
    return { items: page.items.map((d) => DropResponseDto.from(d)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Authenticated({ member: true, staff: STAFF_ROLES })
  @ApiOperation({ summary: 'One drop (staff; members once it is scheduled)' })
  @ApiOkResponse({ type: DropResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() principal: StaffPrincipal | MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<DropResponseDto> {
    const drop = await this.drops.getWithSkus(principal.brandId, id);
    if (principal.type === 'member' && drop.status === 'draft') throw new DropNotFoundError();
    return DropResponseDto.from(drop);
  }

  @Patch(':id')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({
    summary: 'Change a draft drop (owner/marketer)',
    description:
      'Absent fields are unchanged; `skus` replaces the list. 409 `drops.not_editable` once scheduled.',
  })
  @ApiOkResponse({ type: DropResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateDropRequestDto,
  ): Promise<DropResponseDto> {
    return DropResponseDto.from(
      await this.drops.update({ brandId: staff.brandId, id: staff.id, requestId }, id, body),
    );
  }

  @Post(':id/schedule')
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Schedule a draft (owner/marketer)',
    description:
      'draft → scheduled; delayed jobs then move it to early_access, live and ended on time (sold_out when every SKU is sold). 409 `drops.invalid_transition`.',
  })
  @ApiOkResponse({ type: DropResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async schedule(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<DropResponseDto> {
    await this.drops.schedule({ brandId: staff.brandId, id: staff.id, requestId }, id);
    return DropResponseDto.from(await this.drops.getWithSkus(staff.brandId, id));
  }

  @Post(':id/cancel')
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Cancel a drop that has not ended (owner/marketer); active holds are cancelled',
  })
  @ApiOkResponse({ type: DropResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async cancel(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<DropResponseDto> {
    await this.drops.cancel({ brandId: staff.brandId, id: staff.id, requestId }, id);
    return DropResponseDto.from(await this.drops.getWithSkus(staff.brandId, id));
  }

  @Post(':id/end')
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'End an open drop now (owner/marketer)',
    description:
      'early_access, live or sold_out → ended, exactly like the scheduled end: the report is written, ' +
      'the room gets `drop.status_changed`, sales stop and running holds expire or are confirmed as ' +
      'usual. Idempotent: an ended drop is returned unchanged (200). 409 `drops.not_endable` for ' +
      'draft, scheduled (cancel those instead) and cancelled drops.',
  })
  @ApiOkResponse({ type: DropResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async end(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<DropResponseDto> {
    await this.drops.end({ brandId: staff.brandId, id: staff.id, requestId }, id);
    return DropResponseDto.from(await this.drops.getWithSkus(staff.brandId, id));
  }

  @Get(':id/report')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({
    summary: 'The after-drop report (owner/marketer)',
    description: 'Written when the drop ends; 409 `drops.report_not_ready` before.',
  })
  @ApiOkResponse({ type: DropReportResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async report(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<DropReportResponseDto> {
    return DropReportResponseDto.from(await this.drops.report(staff.brandId, id));
  }
}
