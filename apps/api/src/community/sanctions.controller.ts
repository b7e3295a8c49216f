import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  LiftSanctionRequestDto,
  ModerationActionResponseDto,
  SanctionRequestDto,
  SanctionResponseDto,
  SanctionsService,
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
@Controller('v1/moderation/sanctions')
export class SanctionsController {
  constructor(@Inject(SanctionsService) private readonly sanctions: SanctionsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Mute or ban a member from a community for a duration (audited)',
    description:
      'Replaces an existing sanction of the same kind. A muted member cannot post, comment or ' +
      'react; a banned one cannot see or rejoin, and the ban ends their membership. Community ' +
      'moderators may sanction plain members of their community only.',
  })
  @ApiCreatedResponse({ type: SanctionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async impose(
    @CurrentPrincipal() principal: MemberPrincipal | StaffPrincipal,
    @Body() body: SanctionRequestDto,
  ): Promise<SanctionResponseDto> {
    const { sanction, action } = await this.sanctions.impose(moderatorOf(principal), body);
    return SanctionResponseDto.from(sanction, action);
  }

  @Post('lift')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Unmute or unban before the end (audited)' })
  @ApiCreatedResponse({ type: ModerationActionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'No such sanction in force', type: ErrorResponseDto })
  async lift(
    @CurrentPrincipal() principal: MemberPrincipal | StaffPrincipal,
    @Body() body: LiftSanctionRequestDto,
  ): Promise<ModerationActionResponseDto> {
    return ModerationActionResponseDto.from(
      await this.sanctions.lift(moderatorOf(principal), body),
    );
  }
}
