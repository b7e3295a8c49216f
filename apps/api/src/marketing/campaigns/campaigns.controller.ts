import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CommonErrorCode, NotFoundError } from '@app/common';
import {
  ApiKeyAuth,
  type ApiKeyPrincipal,
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  CampaignListQueryDto,
  CampaignPageResponseDto,
  CampaignPreviewResponseDto,
  CampaignResponseDto,
  CampaignResultsResponseDto,
  CampaignResultsService,
  CampaignsService,
  CreateCampaignRequestDto,
  OfferResponseDto,
} from '@app/offers';

@ApiTags('campaigns')
@StaffAuth('owner', 'marketer')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    @Inject(CampaignsService) private readonly campaigns: CampaignsService,
    @Inject(CampaignResultsService) private readonly results: CampaignResultsService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a campaign as a draft (owner/marketer)',
    description:
      'Without a budget (caps.budgetMinor / caps.budgetPoints) it needs overrides.noCap; with holdoutBp 0 it needs overrides.noHoldout.',
  })
  @ApiCreatedResponse({ type: CampaignResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Body() body: CreateCampaignRequestDto,
  ): Promise<CampaignResponseDto> {
    return CampaignResponseDto.from(await this.campaigns.create(staff.brandId, body));
  }

  @Get()
  @ApiOperation({ summary: 'Campaigns, newest first' })
  @ApiOkResponse({ type: CampaignPageResponseDto })
  async list(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: CampaignListQueryDto,
  ): Promise<CampaignPageResponseDto> {
    const page = await this.campaigns.list(staff.brandId, query);
    return {
      items: page.items.map((c) => CampaignResponseDto.from(c)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<CampaignResponseDto> {
    return CampaignResponseDto.from(await this.campaigns.get(staff.brandId, id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a draft or paused campaign’s definition (arms never change)' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateCampaignRequestDto,
  ): Promise<CampaignResponseDto> {
    return CampaignResponseDto.from(await this.campaigns.update(staff.brandId, id, body));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a draft (launched campaigns are ended instead)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.campaigns.remove(staff.brandId, id);
  }

  @Get(':id/preview')
  @ApiOperation({ summary: 'Audience size and expected cost before launch' })
  @ApiOkResponse({ type: CampaignPreviewResponseDto })
  async preview(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<CampaignPreviewResponseDto> {
    return this.campaigns.preview(staff.brandId, id);
  }

  @Post(':id/:action')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'launch (draft → active), pause, resume, end' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async act(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Param('action') action: string,
  ): Promise<CampaignResponseDto> {
    const actions = {
      launch: this.campaigns.launch,
      pause: this.campaigns.pause,
      resume: this.campaigns.resume,
      end: this.campaigns.end,
    } as const;
    const run = actions[action as keyof typeof actions];
    if (!run) throw new NotFoundError('Action', CommonErrorCode.RouteNotFound);
    return CampaignResponseDto.from(await run(staff.brandId, id));
  }

  @Get(':id/results')
  @ApiOperation({
    summary:
      'Measured uplift: treatment vs holdout conversion and revenue with 95 % CIs, cost, ROI, funnel',
  })
  @ApiOkResponse({ type: CampaignResultsResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async resultsOf(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<CampaignResultsResponseDto> {
    return (await this.results.results(staff.brandId, id)) as unknown as CampaignResultsResponseDto;
  }
}

/** Storefronts report that the member saw an offer (funnel: opened). */
@ApiTags('campaigns')
@ApiKeyAuth()
@Controller('v1/offers')
export class StorefrontOffersController {
  constructor(@Inject(CampaignsService) private readonly campaigns: CampaignsService) {}

  @Post(':id/opened')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The member opened the offer (storefront API key); idempotent' })
  @ApiOkResponse({ type: OfferResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async opened(
    @CurrentPrincipal() storefront: ApiKeyPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<OfferResponseDto> {
    return OfferResponseDto.from(await this.campaigns.markOpened(storefront.brandId, id));
  }
}
