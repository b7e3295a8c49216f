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
} from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  CommunitiesService,
  CommunityListQueryDto,
  CommunityMemberPageResponseDto,
  CommunityMemberResponseDto,
  CommunityPageResponseDto,
  CommunityResponseDto,
  CreateCommunityRequestDto,
  InviteRequestDto,
  MemberOrStaffAuth,
  SetCommunityRoleRequestDto,
  UpdateCommunityRequestDto,
} from '@app/community';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  ParseUuidPipe,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';

@ApiTags('communities')
@Controller('v1/communities')
export class CommunitiesController {
  constructor(@Inject(CommunitiesService) private readonly communities: CommunitiesService) {}

  @Post()
  @StaffAuth('owner', 'moderator')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a community (staff owner/moderator)' })
  @ApiCreatedResponse({ type: CommunityResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: '`community_slug_taken`', type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: CreateCommunityRequestDto,
  ): Promise<CommunityResponseDto> {
    return CommunityResponseDto.from(
      await this.communities.create({ brandId: staff.brandId, id: staff.id, requestId }, body),
    );
  }

  @Get()
  @MemberOrStaffAuth()
  @ApiOperation({
    summary: 'Communities of the brand, newest first (members and staff)',
    description:
      'Every non-archived community is listed, members-only and invite-only ones included (their content is not readable by non-members). `myRole` is the caller’s role.',
  })
  @ApiOkResponse({ type: CommunityPageResponseDto })
  async list(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Query() query: CommunityListQueryDto,
  ): Promise<CommunityPageResponseDto> {
    const page = await this.communities.list(viewer, query);
    return {
      items: page.items.map((c) => CommunityResponseDto.from(c)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @MemberOrStaffAuth()
  @ApiOperation({ summary: 'One community (403 `member_banned` for a banned member)' })
  @ApiOkResponse({ type: CommunityResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<CommunityResponseDto> {
    return CommunityResponseDto.from(await this.communities.get(viewer, id));
  }

  @Patch(':id')
  @StaffAuth('owner', 'moderator')
  @ApiOperation({ summary: 'Change name, slug, description, visibility or rules (staff)' })
  @ApiOkResponse({ type: CommunityResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateCommunityRequestDto,
  ): Promise<CommunityResponseDto> {
    return CommunityResponseDto.from(
      await this.communities.update({ brandId: staff.brandId, id: staff.id, requestId }, id, body),
    );
  }

  @Delete(':id')
  @StaffAuth('owner', 'moderator')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Archive a community (staff): stays readable, takes no new members, posts or comments',
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async archive(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.communities.archive({ brandId: staff.brandId, id: staff.id, requestId }, id);
  }

  @Post(':id/join')
  @MemberAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Join (member); joining twice is a no-op',
    description:
      '403 `community_invite_required` for an invite-only community without invitation, `member_banned` for a banned member; 409 `community_archived`.',
  })
  @ApiOkResponse({ type: CommunityResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async join(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<CommunityResponseDto> {
    return CommunityResponseDto.from(await this.communities.join(member, id));
  }

  @Post(':id/leave')
  @MemberAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Leave (member); a no-op when not a member' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async leave(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.communities.leave(member, id);
  }

  @Post(':id/invites')
  @MemberOrStaffAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Invite a member (staff owner/moderator, or a community moderator/owner); idempotent',
  })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: '`community_moderator_required`', type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async invite(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: InviteRequestDto,
  ): Promise<void> {
    await this.communities.invite(viewer, id, body.memberId.toLowerCase());
  }

  @Get(':id/members')
  @MemberOrStaffAuth()
  @ApiOperation({ summary: 'Members, most recent joiners first (whoever may read the community)' })
  @ApiOkResponse({ type: CommunityMemberPageResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async members(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<CommunityMemberPageResponseDto> {
    const page = await this.communities.listMembers(viewer, id, query);
    return {
      items: page.items.map((m) => CommunityMemberResponseDto.from(m)),
      nextCursor: page.nextCursor,
    };
  }

  @Put(':id/members/:memberId/role')
  @MemberOrStaffAuth()
  @ApiOperation({ summary: 'Set a member’s role (staff owner/moderator, or the community owner)' })
  @ApiOkResponse({ type: CommunityMemberResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async setRole(
    @CurrentPrincipal() viewer: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Param('memberId', ParseUuidPipe) memberId: string,
    @Body() body: SetCommunityRoleRequestDto,
  ): Promise<CommunityMemberResponseDto> {
    return CommunityMemberResponseDto.from(
      await this.communities.setRole(viewer, id, memberId, body.role),
    );
  }
}
