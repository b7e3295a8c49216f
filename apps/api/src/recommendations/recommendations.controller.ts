import { Controller, Get, Headers, Inject, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MembersService,
  ParseUuidPipe,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import { MemberRecommendationsQueryDto } from './dto/member-recommendations.query.dto';
import { MemberRecommendationsResponseDto } from './dto/member-recommendations.response.dto';
import { RecommenderClient } from './recommender.client';

@ApiTags('recommendations')
@Controller('v1')
export class RecommendationsController {
  constructor(
    @Inject(MembersService) private readonly members: MembersService,
    @Inject(RecommenderClient) private readonly recommender: RecommenderClient,
  ) {}

  @Get('members/:id/recommendations')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({
    summary: 'A member’s recommendations with score and reason, for staff (owner, marketer)',
    description:
      'Asks the recommender (RECOMMENDER_URL) on the caller’s behalf. When it is unreachable, slow ' +
      '(> 1.5 s) or failing, the answer is still 200 with `available: false` and no items, so the ' +
      'console shows "Recommendations unavailable" instead of an error. Storefronts call the ' +
      'recommender directly with their API key.',
  })
  @ApiOkResponse({ type: MemberRecommendationsResponseDto })
  @ApiNotFoundResponse({
    description: 'No such member in the brand (`member_not_found`)',
    type: ErrorResponseDto,
  })
  async forMember(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Headers('authorization') authorization: string,
    @Param('id', ParseUuidPipe) memberId: string,
    @Query() query: MemberRecommendationsQueryDto,
  ): Promise<MemberRecommendationsResponseDto> {
    // Checked here so an unknown member is a 404 whether or not the recommender is up.
    await this.members.getById(staff.brandId, memberId);
    // StaffAuth accepted exactly this header as "Bearer <token>".
    const token = authorization.slice(authorization.indexOf(' ') + 1);
    const answer = await this.recommender.forMember(token, memberId, {
      limit: query.limit ?? 10,
      requestId,
    });
    return MemberRecommendationsResponseDto.from(memberId, answer);
  }
}
