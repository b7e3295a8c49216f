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
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  AuthThrottle,
  Authenticated,
  CurrentPrincipal,
  ErrorResponseDto,
  MemberCardResponseDto,
  MemberPageResponseDto,
  MemberResponseDto,
  MembersService,
  ParseUuidPipe,
  type Principal,
  RegisterMemberRequestDto,
  STAFF_ROLES,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';

@ApiTags('members')
@Controller('v1')
export class MembersController {
  constructor(@Inject(MembersService) private readonly members: MembersService) {}

  @Post('brands/:brandSlug/members')
  @HttpCode(HttpStatus.CREATED)
  @AuthThrottle()
  @ApiOperation({
    summary: 'Sign up as a member of a brand',
    description:
      'Public. Publishes `member.registered` (and `member.profile_completed` for a complete profile).',
  })
  @ApiCreatedResponse({ type: MemberResponseDto })
  @ApiBadRequestResponse({
    description: 'Invalid input or unknown referral code',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'No such brand', type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'Email or phone already registered in this brand',
    type: ErrorResponseDto,
  })
  async register(
    @Param('brandSlug') brandSlug: string,
    @Body() body: RegisterMemberRequestDto,
  ): Promise<MemberResponseDto> {
    return MemberResponseDto.from(await this.members.registerInBrand(brandSlug, body));
  }

  @Get('members')
  @StaffAuth()
  @ApiOperation({ summary: 'List the brand’s members, newest first (cursor pagination)' })
  @ApiOkResponse({ type: MemberPageResponseDto })
  async list(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<MemberPageResponseDto> {
    const page = await this.members.list(staff.brandId, query);
    return {
      items: page.items.map((member) => MemberResponseDto.from(member)),
      nextCursor: page.nextCursor,
    };
  }

  @Get('members/:id')
  @StaffAuth()
  @ApiOperation({ summary: 'A member of the brand (staff)' })
  @ApiOkResponse({ type: MemberResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<MemberResponseDto> {
    return MemberResponseDto.from(await this.members.getById(staff.brandId, id));
  }

  @Get('members/:id/card')
  @Authenticated({ member: true, staff: STAFF_ROLES, apiKey: true })
  @ApiOperation({ summary: 'Public card of a member of the same brand (name, avatar)' })
  @ApiOkResponse({ type: MemberCardResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async card(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<MemberCardResponseDto> {
    return MemberCardResponseDto.from(await this.members.getById(principal.brandId, id));
  }
}
