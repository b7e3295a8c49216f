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
  CreateStaffRequestDto,
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
  StaffPageResponseDto,
  StaffResponseDto,
  StaffService,
} from '@app/identity';

@ApiTags('staff')
@Controller('v1/staff')
export class StaffController {
  constructor(@Inject(StaffService) private readonly staff: StaffService) {}

  @Get('me')
  @StaffAuth()
  @ApiOperation({ summary: 'The signed-in staff user (any role)' })
  @ApiOkResponse({ type: StaffResponseDto })
  async me(@CurrentPrincipal() principal: StaffPrincipal): Promise<StaffResponseDto> {
    return StaffResponseDto.from(await this.staff.getById(principal.brandId, principal.id));
  }

  @Get()
  @StaffAuth('owner')
  @ApiOperation({ summary: 'List the brand’s staff (owner)' })
  @ApiOkResponse({ type: StaffPageResponseDto })
  async list(
    @CurrentPrincipal() owner: StaffPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<StaffPageResponseDto> {
    const page = await this.staff.list(owner.brandId, query);
    return {
      items: page.items.map((user) => StaffResponseDto.from(user)),
      nextCursor: page.nextCursor,
    };
  }

  @Post()
  @StaffAuth('owner')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a staff user with a role and an initial password (owner, audited)',
  })
  @ApiCreatedResponse({ type: StaffResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'Email already used by staff of this brand',
    type: ErrorResponseDto,
  })
  async create(
    @CurrentPrincipal() owner: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: CreateStaffRequestDto,
  ): Promise<StaffResponseDto> {
    return StaffResponseDto.from(
      await this.staff.create({ brandId: owner.brandId, id: owner.id, requestId }, body),
    );
  }

  @Get(':id')
  @StaffAuth('owner')
  @ApiOperation({ summary: 'A staff user of the brand (owner)' })
  @ApiOkResponse({ type: StaffResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() owner: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<StaffResponseDto> {
    return StaffResponseDto.from(await this.staff.getById(owner.brandId, id));
  }

  @Post(':id/disable')
  @StaffAuth('owner')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Disable a staff user and revoke their sessions (owner, audited, idempotent)',
  })
  @ApiOkResponse({ type: StaffResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'Owners cannot disable themselves', type: ErrorResponseDto })
  async disable(
    @CurrentPrincipal() owner: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<StaffResponseDto> {
    return StaffResponseDto.from(
      await this.staff.disable({ brandId: owner.brandId, id: owner.id, requestId }, id),
    );
  }
}
