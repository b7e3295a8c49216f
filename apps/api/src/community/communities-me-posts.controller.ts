import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import { PostPageResponseDto, PostResponseDto, PostsService } from '@app/community';
import { CurrentPrincipal, MemberAuth, type MemberPrincipal } from '@app/identity';

/** The signed-in member's own posts. */
@ApiTags('me')
@MemberAuth()
@Controller('v1/me/posts')
export class CommunitiesMePostsController {
  constructor(@Inject(PostsService) private readonly posts: PostsService) {}

  @Get()
  @ApiOperation({
    summary: 'My posts in every community, newest first — held, hidden and removed ones included',
  })
  @ApiOkResponse({ type: PostPageResponseDto })
  async mine(
    @CurrentPrincipal() member: MemberPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<PostPageResponseDto> {
    const page = await this.posts.mine(member, query);
    return { items: page.items.map((p) => PostResponseDto.from(p)), nextCursor: page.nextCursor };
  }
}
