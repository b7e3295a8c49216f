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
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import {
  CreateModerationRuleRequestDto,
  ModerationRulePageResponseDto,
  ModerationRuleResponseDto,
  ModerationRulesService,
  UpdateModerationRuleRequestDto,
} from '@app/community';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';

@ApiTags('community moderation')
@StaffAuth('owner', 'moderator')
@Controller('v1/moderation/rules')
export class ModerationRulesController {
  constructor(@Inject(ModerationRulesService) private readonly rules: ModerationRulesService) {}

  @Get()
  @ApiOperation({ summary: 'The brand’s screening rules, newest first (owner, moderator)' })
  @ApiOkResponse({ type: ModerationRulePageResponseDto })
  async list(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<ModerationRulePageResponseDto> {
    const page = await this.rules.list(staff.brandId, query);
    return {
      items: page.items.map((rule) => ModerationRuleResponseDto.from(rule)),
      nextCursor: page.nextCursor,
    };
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a keyword or regex rule (owner, moderator)',
    description:
      'Screens every new or edited post, comment and review; the strongest matching action wins ' +
      '(block > hold > flag). Regexes are checked at write time: invalid → ' +
      '`moderation_pattern_invalid`, nested quantifiers / back-references / over 200 characters ' +
      '→ `moderation_pattern_unsafe`. Takes effect in this process at once, elsewhere within 5 s.',
  })
  @ApiCreatedResponse({ type: ModerationRuleResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Body() body: CreateModerationRuleRequestDto,
  ): Promise<ModerationRuleResponseDto> {
    return ModerationRuleResponseDto.from(await this.rules.create(staff.brandId, body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A screening rule' })
  @ApiOkResponse({ type: ModerationRuleResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ModerationRuleResponseDto> {
    return ModerationRuleResponseDto.from(await this.rules.get(staff.brandId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a screening rule (same checks as create)' })
  @ApiOkResponse({ type: ModerationRuleResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateModerationRuleRequestDto,
  ): Promise<ModerationRuleResponseDto> {
    return ModerationRuleResponseDto.from(await this.rules.update(staff.brandId, id, body));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a screening rule' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.rules.remove(staff.brandId, id);
  }
}
