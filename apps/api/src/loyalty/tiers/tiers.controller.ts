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
import {
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  CreateTierRequestDto,
  TierListResponseDto,
  TierResponseDto,
  TiersService,
  UpdateTierRequestDto,
} from '@app/loyalty';

@ApiTags('loyalty tiers')
@StaffAuth('owner', 'marketer')
@Controller('v1/loyalty/tiers')
export class TiersController {
  constructor(@Inject(TiersService) private readonly tiers: TiersService) {}

  @Get()
  @ApiOperation({ summary: 'The brand’s tiers by rank (owner, marketer)' })
  @ApiOkResponse({ type: TierListResponseDto })
  async list(@CurrentPrincipal() staff: StaffPrincipal): Promise<TierListResponseDto> {
    return {
      items: (await this.tiers.list(staff.brandId)).map((tier) => TierResponseDto.from(tier)),
    };
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a tier (owner, marketer; audited)',
    description:
      'Rank 0 is the entry tier, created first, with zero thresholds. Rank and code are unique.',
  })
  @ApiCreatedResponse({ type: TierResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'Rank or code taken', type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: CreateTierRequestDto,
  ): Promise<TierResponseDto> {
    return TierResponseDto.from(
      await this.tiers.create({ brandId: staff.brandId, id: staff.id, requestId }, body),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'A tier of the brand' })
  @ApiOkResponse({ type: TierResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<TierResponseDto> {
    return TierResponseDto.from(await this.tiers.get(staff.brandId, id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a tier (owner, marketer; audited)',
    description:
      'New thresholds apply from the next evaluation: upgrades at once, downgrades at review.',
  })
  @ApiOkResponse({ type: TierResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateTierRequestDto,
  ): Promise<TierResponseDto> {
    return TierResponseDto.from(
      await this.tiers.update({ brandId: staff.brandId, id: staff.id, requestId }, id, body),
    );
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a tier no member holds (entry tier last; audited)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'Members hold the tier', type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.tiers.remove({ brandId: staff.brandId, id: staff.id, requestId }, id);
  }
}
