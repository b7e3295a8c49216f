import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ContentActionRequestDto,
  ModerationActionPageResponseDto,
  ModerationActionResponseDto,
  ModerationActionsQueryDto,
  ModerationActionsService,
  ModerationQueueQueryDto,
  ModerationQueueService,
  QueueItemResponseDto,
  QueuePageResponseDto,
} from '@app/community';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  type MemberPrincipal,
  type StaffPrincipal,
} from '@app/identity';
import { ModeratorAuth, moderatorOf } from './moderation-actor';

@ApiTags('community moderation')
@ModeratorAuth()
@Controller('v1/moderation')
export class ModerationController {
  constructor(
    @Inject(ModerationQueueService) private readonly queue: ModerationQueueService,
    @Inject(ModerationActionsService) private readonly actions: ModerationActionsService,
  ) {}

  @Get('queue')
  @ApiOperation({
    summary: 'Open moderation cases, oldest first, with context',
    description:
      'Held, flagged and reported content, one case per item. Brand staff (owner, moderator) see ' +
      'every community; a member sees the communities they moderate (403 for another community).',
  })
  @ApiOkResponse({ type: QueuePageResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown community', type: ErrorResponseDto })
  async list(
    @CurrentPrincipal() principal: MemberPrincipal | StaffPrincipal,
    @Query() query: ModerationQueueQueryDto,
  ): Promise<QueuePageResponseDto> {
    const page = await this.queue.list(moderatorOf(principal), query);
    return {
      items: page.items.map((item) => QueueItemResponseDto.from(item)),
      nextCursor: page.nextCursor,
    };
  }

  @Post('actions')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Decide on a post, comment or review (audited, resolves its open case)',
    description:
      'approve (held/hidden → published; the first approval fires the UGC reward), hide, remove ' +
      '(the reward is reversed), restore (hidden/removed → published, no new reward), dismiss ' +
      '(close the case). An action that does not fit the status → 409 ' +
      '`moderation_action_not_allowed`. The author gets `content.moderated` on member:<id>.',
  })
  @ApiCreatedResponse({ type: ModerationActionResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async decide(
    @CurrentPrincipal() principal: MemberPrincipal | StaffPrincipal,
    @Body() body: ContentActionRequestDto,
  ): Promise<ModerationActionResponseDto> {
    return ModerationActionResponseDto.from(
      await this.actions.decide(moderatorOf(principal), body),
    );
  }

  @Get('actions')
  @ApiOperation({
    summary: 'The moderation audit trail, newest first',
    description: 'Filter by target or member. Community moderators see their communities only.',
  })
  @ApiOkResponse({ type: ModerationActionPageResponseDto })
  async history(
    @CurrentPrincipal() principal: MemberPrincipal | StaffPrincipal,
    @Query() query: ModerationActionsQueryDto,
  ): Promise<ModerationActionPageResponseDto> {
    const page = await this.actions.history(moderatorOf(principal), query);
    return {
      items: page.items.map((row) => ModerationActionResponseDto.from(row)),
      nextCursor: page.nextCursor,
    };
  }
}
