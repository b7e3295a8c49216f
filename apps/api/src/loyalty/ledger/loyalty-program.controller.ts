import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  LedgerQueryService,
  LiabilityResponseDto,
  LoyaltyProgramResponseDto,
  LoyaltyProgramService,
  UpdateLoyaltyProgramRequestDto,
} from '@app/loyalty';

/** The brand's loyalty programme settings and its points liability. */
@ApiTags('loyalty')
@Controller('v1/loyalty')
export class LoyaltyProgramController {
  constructor(
    @Inject(LoyaltyProgramService) private readonly programs: LoyaltyProgramService,
    @Inject(LedgerQueryService) private readonly query: LedgerQueryService,
  ) {}

  @Get('program')
  @StaffAuth('owner')
  @ApiOperation({ summary: 'Programme settings (defaults until first saved) — owner' })
  @ApiOkResponse({ type: LoyaltyProgramResponseDto })
  async get(@CurrentPrincipal() staff: StaffPrincipal): Promise<LoyaltyProgramResponseDto> {
    return LoyaltyProgramResponseDto.from(await this.programs.get(staff.brandId));
  }

  @Put('program')
  @StaffAuth('owner')
  @ApiOperation({
    summary: 'Change programme settings — owner (audited)',
    description:
      'Absent fields keep their value. Expiry settings apply to points earned from now on; existing lots keep their expiry.',
  })
  @ApiOkResponse({ type: LoyaltyProgramResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: UpdateLoyaltyProgramRequestDto,
  ): Promise<LoyaltyProgramResponseDto> {
    return LoyaltyProgramResponseDto.from(
      await this.programs.update(staff.brandId, body, { type: 'staff', id: staff.id, requestId }),
    );
  }

  @Get('liability')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({
    summary: 'Points liability: outstanding points by expiry month and by tier, estimated cost',
  })
  @ApiOkResponse({ type: LiabilityResponseDto })
  async liability(@CurrentPrincipal() staff: StaffPrincipal): Promise<LiabilityResponseDto> {
    return LiabilityResponseDto.from(await this.query.liability(staff.brandId));
  }
}
