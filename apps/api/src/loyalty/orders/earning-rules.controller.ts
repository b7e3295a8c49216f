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
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  CreateEarningRuleRequestDto,
  EarningRulePageResponseDto,
  EarningRuleResponseDto,
  EarningRulesService,
  UpdateEarningRuleRequestDto,
} from '@app/loyalty';

const actorOf = (staff: StaffPrincipal, requestId: string) => ({
  type: 'staff' as const,
  id: staff.id,
  requestId,
});

@ApiTags('loyalty rules')
@StaffAuth('owner', 'marketer')
@Controller('v1/loyalty/rules')
export class EarningRulesController {
  constructor(@Inject(EarningRulesService) private readonly rules: EarningRulesService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create an earning rule (owner, marketer; audited)' })
  @ApiCreatedResponse({ type: EarningRuleResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: CreateEarningRuleRequestDto,
  ): Promise<EarningRuleResponseDto> {
    return EarningRuleResponseDto.from(
      await this.rules.create(staff.brandId, body, actorOf(staff, requestId)),
    );
  }

  @Get()
  @ApiOperation({ summary: 'Earning rules of the brand, newest first (cursor-paginated)' })
  @ApiOkResponse({ type: EarningRulePageResponseDto })
  async list(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<EarningRulePageResponseDto> {
    const page = await this.rules.list(staff.brandId, query.limit ?? 20, query.cursor);
    return {
      items: page.items.map((r) => EarningRuleResponseDto.from(r)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @ApiOkResponse({ type: EarningRuleResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<EarningRuleResponseDto> {
    return EarningRuleResponseDto.from(await this.rules.get(staff.brandId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an earning rule (kind is fixed)' })
  @ApiOkResponse({ type: EarningRuleResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateEarningRuleRequestDto,
  ): Promise<EarningRuleResponseDto> {
    return EarningRuleResponseDto.from(
      await this.rules.update(staff.brandId, id, body, actorOf(staff, requestId)),
    );
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an earning rule (past awards keep its id)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.rules.remove(staff.brandId, id, actorOf(staff, requestId));
  }
}
