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
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  CreateReviewRequestDto,
  HelpfulVoteResponseDto,
  ReviewPageResponseDto,
  ReviewResponseDto,
  ReviewsService,
  UpdateReviewRequestDto,
} from '@app/community';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  ParseUuidPipe,
} from '@app/identity';

/** A member's shared reviews (晒单) and helpful votes. */
@ApiTags('reviews')
@MemberAuth()
@Controller('v1')
export class ReviewsController {
  constructor(@Inject(ReviewsService) private readonly reviews: ReviewsService) {}

  @Post('reviews')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Review an order line you bought (once per line), optionally shared into a community',
    description:
      'Verified purchase: the storefront order must be yours and the line not fully refunded. ' +
      'Screened by the brand rules: blocked → 422 content_blocked; held → status `held` until a ' +
      'moderator approves. Approval (immediate when screening passes) earns the brand’s ' +
      '`review_approved` rule points and coupon within its caps, after which the review shows ' +
      'the `incentivised` badge. Text is plain text, never rendered as HTML.',
  })
  @ApiCreatedResponse({ type: ReviewResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid rating, text or photos' })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'review_not_purchased; community_not_a_member, member_muted, member_banned',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'community_not_found' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'review_exists (one review per line), review_line_refunded',
  })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'content_blocked' })
  async create(
    @CurrentPrincipal() member: MemberPrincipal,
    @Body() body: CreateReviewRequestDto,
  ): Promise<ReviewResponseDto> {
    return ReviewResponseDto.from(await this.reviews.create(member, body));
  }

  @Get('reviews/:id')
  @ApiOperation({ summary: 'A published review, or one of yours in any status' })
  @ApiOkResponse({ type: ReviewResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ReviewResponseDto> {
    return ReviewResponseDto.from(await this.reviews.get(member, id));
  }

  @Patch('reviews/:id')
  @ApiOperation({
    summary: 'Edit your review (screened again; a hold sends it back to review)',
  })
  @ApiOkResponse({ type: ReviewResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'review_not_author' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'review_not_editable' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'content_blocked' })
  async update(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateReviewRequestDto,
  ): Promise<ReviewResponseDto> {
    return ReviewResponseDto.from(await this.reviews.update(member, id, body));
  }

  @Delete('reviews/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete your review (and its community post); the line stays reviewed',
  })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'review_not_author' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async delete(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.reviews.delete(member, id);
  }

  @Put('reviews/:id/helpful')
  @ApiOperation({ summary: 'Mark a published review helpful (once; not your own)' })
  @ApiOkResponse({ type: HelpfulVoteResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'review_own_vote' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  voteHelpful(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<HelpfulVoteResponseDto> {
    return this.reviews.voteHelpful(member, id);
  }

  @Delete('reviews/:id/helpful')
  @ApiOperation({ summary: 'Withdraw your helpful vote (idempotent)' })
  @ApiOkResponse({ type: HelpfulVoteResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  unvoteHelpful(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<HelpfulVoteResponseDto> {
    return this.reviews.unvoteHelpful(member, id);
  }

  @Get('me/reviews')
  @ApiOperation({ summary: 'My reviews in any status but deleted, newest first (cursor)' })
  @ApiOkResponse({ type: ReviewPageResponseDto })
  async mine(
    @CurrentPrincipal() member: MemberPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<ReviewPageResponseDto> {
    const page = await this.reviews.listMine(member, query);
    return { items: page.items.map((r) => ReviewResponseDto.from(r)), nextCursor: page.nextCursor };
  }
}
