import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
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
import {
  CreatePostRequestDto,
  FeedQueryDto,
  MemberOrStaffAuth,
  PostPageResponseDto,
  PostResponseDto,
  PostsService,
} from '@app/community';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  ParseUuidPipe,
  type StaffPrincipal,
} from '@app/identity';

/** A community's posts: the feed and posting into it. */
@ApiTags('posts')
@Controller('v1/communities/:communityId/posts')
export class CommunityPostsController {
  constructor(@Inject(PostsService) private readonly posts: PostsService) {}

  @Post()
  @MemberAuth()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Post into a community (member of it)',
    description:
      'Screened by the brand’s moderation rules: blocked → 400 `content_blocked`; held → 201 with status `held` (visible to the author only until approved); flagged → published and queued for review. 400 `unknown_product`; 403 `community_not_a_member`, `member_muted`, `member_banned`; 409 `duplicate_content` (same text by the same author within 24 h), `community_archived`; 429 `post_rate_limited` (5 posts per 10 minutes).',
  })
  @ApiCreatedResponse({ type: PostResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('communityId', ParseUuidPipe) communityId: string,
    @Body() body: CreatePostRequestDto,
  ): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.posts.create(member, communityId, body));
  }

  @Get()
  @MemberOrStaffAuth()
  @ApiOperation({
    summary: 'The community feed: `new` or `hot`, cursor-paginated, pinned posts first',
    description:
      'Published posts only. The first page (no cursor) starts with up to 5 pinned posts, outside `limit`. `hot` ranks by the stored hot score (docs/adr/0011). Members-only and invite-only communities: 403 `community_members_only` for non-members.',
  })
  @ApiOkResponse({ type: PostPageResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async feed(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Param('communityId', ParseUuidPipe) communityId: string,
    @Query() query: FeedQueryDto,
  ): Promise<PostPageResponseDto> {
    const page = await this.posts.feed(viewer, communityId, query);
    return { items: page.items.map((p) => PostResponseDto.from(p)), nextCursor: page.nextCursor };
  }
}
