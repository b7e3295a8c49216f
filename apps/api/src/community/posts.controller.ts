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
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import {
  CommentListQueryDto,
  CommentPageResponseDto,
  CommentResponseDto,
  CommentsService,
  CreateCommentRequestDto,
  MemberOrStaffAuth,
  PollVoteRequestDto,
  PostResponseDto,
  PostsService,
  ReactionRequestDto,
  ReactionResponseDto,
  ReactionsService,
  UpdatePostRequestDto,
} from '@app/community';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  ParseUuidPipe,
  type StaffPrincipal,
} from '@app/identity';

/** One post: read, edit, delete, pin, vote, react, comment. */
@ApiTags('posts')
@Controller('v1/posts/:id')
export class PostsController {
  constructor(
    @Inject(PostsService) private readonly posts: PostsService,
    @Inject(CommentsService) private readonly comments: CommentsService,
    @Inject(ReactionsService) private readonly reactions: ReactionsService,
  ) {}

  @Get()
  @MemberOrStaffAuth()
  @ApiOperation({
    summary: 'One post',
    description:
      'Published posts to whoever may read the community; held, hidden or removed ones only to their author (and staff); deleted ones to staff only (404 otherwise).',
  })
  @ApiOkResponse({ type: PostResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.posts.get(viewer, id));
  }

  @Patch()
  @MemberAuth()
  @ApiOperation({
    summary: 'Edit my post (author): body, images, product tags; screened again',
    description:
      '403 `not_author`; 409 `content_not_editable` (hidden/removed), `duplicate_content`; an edit caught by a hold rule sends the post back to review.',
  })
  @ApiOkResponse({ type: PostResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdatePostRequestDto,
  ): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.posts.update(member, id, body));
  }

  @Delete()
  @MemberAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete my post (author): status `deleted`' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.posts.delete(member, id);
  }

  @Put('pin')
  @MemberOrStaffAuth()
  @ApiOperation({
    summary: 'Pin (community moderator/owner, or staff owner/moderator); at most 5 per community',
  })
  @ApiOkResponse({ type: PostResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: '`too_many_pinned_posts`', type: ErrorResponseDto })
  async pin(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.posts.pin(viewer, id));
  }

  @Delete('pin')
  @MemberOrStaffAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Unpin (community moderator/owner, or staff owner/moderator)' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async unpin(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.posts.unpin(viewer, id);
  }

  @Post('poll/votes')
  @MemberAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Vote in the post’s poll (once per member)',
    description:
      '409 `poll_already_voted`, `poll_closed`; 400 `poll_option_unknown`; 404 `post_has_no_poll`.',
  })
  @ApiOkResponse({ type: PostResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async vote(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: PollVoteRequestDto,
  ): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.posts.vote(member, id, body.optionId));
  }

  @Put('reaction')
  @MemberAuth()
  @ApiOperation({
    summary: 'React to the post (one reaction per member; a new kind replaces the old)',
  })
  @ApiOkResponse({ type: ReactionResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async react(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ReactionRequestDto,
  ): Promise<ReactionResponseDto> {
    return ReactionResponseDto.from(
      await this.reactions.react(member, { targetType: 'post', targetId: id }, body.kind),
    );
  }

  @Delete('reaction')
  @MemberAuth()
  @ApiOperation({ summary: 'Remove my reaction to the post (a no-op when none)' })
  @ApiOkResponse({ type: ReactionResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async unreact(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ReactionResponseDto> {
    return ReactionResponseDto.from(
      await this.reactions.react(member, { targetType: 'post', targetId: id }, null),
    );
  }

  @Post('comments')
  @MemberAuth()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Comment, or reply to a top-level comment (member of the community)',
    description:
      'Screened like posts. 400 `reply_depth_exceeded`, `content_blocked`; 403 `member_muted`, `member_banned`, `community_not_a_member`; 409 `duplicate_content`; 429 `comment_rate_limited` (30 per 10 minutes).',
  })
  @ApiCreatedResponse({ type: CommentResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async comment(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateCommentRequestDto,
  ): Promise<CommentResponseDto> {
    return CommentResponseDto.from(
      await this.comments.create(member, id, {
        body: body.body,
        parentId: body.parentId?.toLowerCase(),
      }),
    );
  }

  @Get('comments')
  @MemberOrStaffAuth()
  @ApiOperation({
    summary: 'Top-level comments (or, with `parentId`, the replies of one), oldest first',
  })
  @ApiOkResponse({ type: CommentPageResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async listComments(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: CommentListQueryDto,
  ): Promise<CommentPageResponseDto> {
    const page = await this.comments.list(viewer, id, {
      ...query,
      parentId: query.parentId?.toLowerCase(),
    });
    return {
      items: page.items.map((c) => CommentResponseDto.from(c)),
      nextCursor: page.nextCursor,
    };
  }
}
