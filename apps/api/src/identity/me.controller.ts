import { Body, Controller, Get, Inject, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  MemberResponseDto,
  MembersService,
  UpdateMyProfileRequestDto,
} from '@app/identity';

@ApiTags('me')
@MemberAuth()
@Controller('v1/me')
export class MeController {
  constructor(@Inject(MembersService) private readonly members: MembersService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in member’s profile' })
  @ApiOkResponse({ type: MemberResponseDto })
  async get(@CurrentPrincipal() member: MemberPrincipal): Promise<MemberResponseDto> {
    return MemberResponseDto.from(await this.members.getById(member.brandId, member.id));
  }

  @Patch()
  @ApiOperation({
    summary: 'Edit the signed-in member’s profile',
    description:
      'Absent fields are unchanged, `null` clears. The first complete profile publishes `member.profile_completed`.',
  })
  @ApiOkResponse({ type: MemberResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() member: MemberPrincipal,
    @Body() body: UpdateMyProfileRequestDto,
  ): Promise<MemberResponseDto> {
    return MemberResponseDto.from(
      await this.members.updateProfile(member.brandId, member.id, body),
    );
  }
}
