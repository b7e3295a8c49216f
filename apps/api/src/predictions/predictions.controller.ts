import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  MemberPredictionPageResponseDto,
  MemberPredictionResponseDto,
  PredictionNotFoundError,
  PredictionsService,
  SegmentParamsDto,
} from '@app/ml';
import { MemberPredictionLookupResponseDto } from './dto/member-prediction-lookup.response.dto';

@ApiTags('predictions')
@Controller('v1')
export class PredictionsController {
  constructor(@Inject(PredictionsService) private readonly predictions: PredictionsService) {}

  @Get('members/:id/predictions')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({
    summary:
      'A member’s next-purchase timing: P(buy in 7/14/28 days), next purchase date, P(alive), 12-month CLV',
  })
  @ApiOkResponse({ type: MemberPredictionResponseDto })
  @ApiNotFoundResponse({
    description: 'No such member in the brand, or not scored yet',
    type: ErrorResponseDto,
  })
  async member(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<MemberPredictionResponseDto> {
    return MemberPredictionResponseDto.from(await this.predictions.forMember(staff.brandId, id));
  }

  @Get('members/:id/predictions/latest')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({
    summary: 'A member’s prediction, or `scored: false` when there is none yet (owner, marketer)',
    description:
      'Same data as `GET /v1/members/{id}/predictions`, but a member who has not been scored yet is ' +
      'a normal answer (`{ scored: false, prediction: null }`) rather than a 404, so pages that ' +
      'show any member (the console’s member lookup) make no failing request. An unknown member ' +
      'is still a 404.',
  })
  @ApiOkResponse({ type: MemberPredictionLookupResponseDto })
  @ApiNotFoundResponse({ description: 'No such member in the brand', type: ErrorResponseDto })
  async latest(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<MemberPredictionLookupResponseDto> {
    try {
      const row = await this.predictions.forMember(staff.brandId, id);
      return { scored: true, prediction: MemberPredictionResponseDto.from(row) };
    } catch (error) {
      if (error instanceof PredictionNotFoundError) return { scored: false, prediction: null };
      throw error;
    }
  }

  @Get('predictions/segments/:segment')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({ summary: 'Members of a timing segment, best first (cursor-paginated)' })
  @ApiOkResponse({ type: MemberPredictionPageResponseDto })
  async segment(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param() params: SegmentParamsDto,
    @Query() query: PageQueryDto,
  ): Promise<MemberPredictionPageResponseDto> {
    const page = await this.predictions.segment(staff.brandId, params.segment, query);
    return {
      items: page.items.map((row) => MemberPredictionResponseDto.from(row)),
      nextCursor: page.nextCursor,
    };
  }
}
