import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  CreateSegmentRequestDto,
  MemberSegmentsResponseDto,
  RecomputeResponseDto,
  RecomputeSegmentsRequestDto,
  SegmentAttributesDto,
  SegmentMemberPageResponseDto,
  SegmentMemberResponseDto,
  SegmentMembersQueryDto,
  SegmentPageResponseDto,
  SegmentResponseDto,
  SegmentSummaryResponseDto,
  SegmentsService,
  UpdateSegmentRequestDto,
} from '@app/segments';

@ApiTags('segments')
@StaffAuth()
@Controller('v1/segments')
export class SegmentsController {
  constructor(@Inject(SegmentsService) private readonly segments: SegmentsService) {}

  @Get('summary')
  @ApiOperation({ summary: 'Member counts per lifecycle stage, value tier, persona and RFM score' })
  @ApiOkResponse({ type: SegmentSummaryResponseDto })
  async summary(@CurrentPrincipal() staff: StaffPrincipal): Promise<SegmentSummaryResponseDto> {
    return (await this.segments.summary(staff.brandId)) as unknown as SegmentSummaryResponseDto;
  }

  @Get('members')
  @ApiOperation({ summary: 'Members by computed attributes (cursor-paginated, newest first)' })
  @ApiOkResponse({ type: SegmentMemberPageResponseDto })
  async members(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: SegmentMembersQueryDto,
  ): Promise<SegmentMemberPageResponseDto> {
    const page = await this.segments.listMembers(
      staff.brandId,
      {
        all: {
          ...(query.lifecycle ? { lifecycle: [query.lifecycle] } : {}),
          ...(query.valueTier ? { valueTiers: [query.valueTier] } : {}),
          ...(query.persona ? { personas: [query.persona] } : {}),
          ...(query.tag ? { tags: [query.tag] } : {}),
        },
      },
      query,
    );
    return {
      items: page.items.map((m) => SegmentMemberResponseDto.from(m)),
      nextCursor: page.nextCursor,
    };
  }

  @Post('recompute')
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Recompute the brand’s segments now (owner/marketer); the worker also runs it nightly',
  })
  @ApiOkResponse({ type: RecomputeResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async recompute(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Body() body: RecomputeSegmentsRequestDto,
  ): Promise<RecomputeResponseDto> {
    const outcome = await this.segments.recomputeBrand(staff.brandId, {
      asOf: body.asOf ? new Date(body.asOf) : undefined,
      lifecycle: body.lifecycle,
    });
    return {
      members: outcome.members,
      written: outcome.written,
      lifecycleChanges: outcome.changes.length,
    };
  }

  @Post()
  @StaffAuth('owner', 'marketer')
  @ApiOperation({ summary: 'Create a named segment (owner/marketer)' })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Body() body: CreateSegmentRequestDto,
  ): Promise<SegmentResponseDto> {
    return SegmentResponseDto.from(await this.segments.createSegment(staff.brandId, body));
  }

  @Get()
  @ApiOperation({ summary: 'Named segments, newest first' })
  @ApiOkResponse({ type: SegmentPageResponseDto })
  async list(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<SegmentPageResponseDto> {
    const page = await this.segments.listSegments(staff.brandId, query);
    return {
      items: page.items.map((s) => SegmentResponseDto.from(s)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A named segment with its current size' })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<SegmentResponseDto> {
    return SegmentResponseDto.from(await this.segments.getSegment(staff.brandId, id));
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'Members of a named segment (cursor-paginated)' })
  @ApiOkResponse({ type: SegmentMemberPageResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async segmentMembers(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<SegmentMemberPageResponseDto> {
    const page = await this.segments.listSegmentMembers(staff.brandId, id, query);
    return {
      items: page.items.map((m) => SegmentMemberResponseDto.from(m)),
      nextCursor: page.nextCursor,
    };
  }

  @Patch(':id')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({ summary: 'Rename or redefine a named segment (owner/marketer)' })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateSegmentRequestDto,
  ): Promise<SegmentResponseDto> {
    return SegmentResponseDto.from(await this.segments.updateSegment(staff.brandId, id, body));
  }

  @Delete(':id')
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a named segment (owner/marketer)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.segments.deleteSegment(staff.brandId, id);
  }
}

@ApiTags('segments')
@StaffAuth()
@Controller('v1/members/:memberId')
export class MemberSegmentsController {
  constructor(@Inject(SegmentsService) private readonly segments: SegmentsService) {}

  @Get('segments')
  @ApiOperation({ summary: 'A member’s computed attributes, tags and segment history' })
  @ApiOkResponse({ type: MemberSegmentsResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async view(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('memberId', ParseUuidPipe) memberId: string,
  ): Promise<MemberSegmentsResponseDto> {
    const view = await this.segments.memberView(staff.brandId, memberId);
    return {
      attributes: view.segment ? SegmentAttributesDto.from(view.segment) : null,
      tags: view.tags.map((t) => t.tag),
      history: view.history.map((h) => ({
        dimension: h.dimension,
        from: h.fromValue,
        to: h.toValue,
        at: h.at.toISOString(),
      })),
    };
  }

  @Put('tags/:tag')
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Tag a member (owner/marketer); idempotent' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async tag(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('memberId', ParseUuidPipe) memberId: string,
    @Param('tag') tag: string,
  ): Promise<void> {
    await this.segments.putTag(staff.brandId, memberId, tag);
  }

  @Delete('tags/:tag')
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a member’s tag (owner/marketer)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async untag(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('memberId', ParseUuidPipe) memberId: string,
    @Param('tag') tag: string,
  ): Promise<void> {
    await this.segments.deleteTag(staff.brandId, memberId, tag);
  }
}
