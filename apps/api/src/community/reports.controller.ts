import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CreateReportRequestDto, ReportResponseDto, ReportsService } from '@app/community';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
} from '@app/identity';

@ApiTags('community moderation')
@Controller('v1/reports')
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  @Post()
  @MemberAuth()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Report a post, comment or review to the moderators',
    description:
      'Once per member per item (409 `report_duplicate`); not your own content (403 ' +
      '`report_own_content`); at most 10 reports per 10 minutes (429 `report_rate_limited`). ' +
      'The item joins the moderation queue (one open case per item, counting its reports).',
  })
  @ApiCreatedResponse({ type: ReportResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() member: MemberPrincipal,
    @Body() body: CreateReportRequestDto,
  ): Promise<ReportResponseDto> {
    return ReportResponseDto.from(await this.reports.report(member.brandId, member.id, body));
  }
}
