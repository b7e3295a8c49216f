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
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  AnnouncementPageResponseDto,
  AnnouncementResponseDto,
  CreateAnnouncementRequestDto,
  DropAnnouncementsService,
} from '@app/drops';
import {
  Authenticated,
  CurrentPrincipal,
  ErrorResponseDto,
  type MemberPrincipal,
  ParseUuidPipe,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';

@ApiTags('drops live room')
@Controller('v1/drops/:id/announcements')
export class AnnouncementsController {
  constructor(
    @Inject(DropAnnouncementsService) private readonly announcements: DropAnnouncementsService,
  ) {}

  @Post()
  @StaffAuth()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Post a host announcement in the live room',
    description:
      'Brand staff (the host). Pinned by default: it replaces the pinned one and is shown in the ' +
      '`drop:join` ack. Pushed to `drop:<id>` as `drop.announcement` through the outbox.',
  })
  @ApiCreatedResponse({ type: AnnouncementResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown drop', type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) dropId: string,
    @Body() body: CreateAnnouncementRequestDto,
  ): Promise<AnnouncementResponseDto> {
    return AnnouncementResponseDto.from(await this.announcements.create(staff, dropId, body));
  }

  @Get()
  @Authenticated({ member: true, staff: ['owner', 'moderator', 'marketer'] })
  @ApiOperation({ summary: "The drop's announcements, newest first" })
  @ApiOkResponse({ type: AnnouncementPageResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown drop', type: ErrorResponseDto })
  async list(
    @CurrentPrincipal() principal: MemberPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) dropId: string,
    @Query() query: PageQueryDto,
  ): Promise<AnnouncementPageResponseDto> {
    const page = await this.announcements.list(principal, dropId, query);
    return {
      items: page.items.map((item) => AnnouncementResponseDto.from(item)),
      nextCursor: page.nextCursor,
    };
  }
}
