import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
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
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiHeader,
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
  CouponResponseDto,
  CouponTemplatePageResponseDto,
  CouponTemplateResponseDto,
  CouponTemplatesService,
  CouponsService,
  CreateCouponTemplateRequestDto,
  IssueCouponRequestDto,
  UpdateCouponTemplateRequestDto,
  requireIdempotencyKey,
} from '@app/loyalty';

@ApiTags('coupons')
@StaffAuth('owner', 'marketer')
@Controller('v1/coupon-templates')
export class CouponTemplatesController {
  constructor(
    @Inject(CouponTemplatesService) private readonly templates: CouponTemplatesService,
    @Inject(CouponsService) private readonly coupons: CouponsService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a coupon template (owner/marketer, audited)' })
  @ApiCreatedResponse({ type: CouponTemplateResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: CreateCouponTemplateRequestDto,
  ): Promise<CouponTemplateResponseDto> {
    return CouponTemplateResponseDto.from(
      await this.templates.create({ brandId: staff.brandId, id: staff.id, requestId }, body),
    );
  }

  @Get()
  @ApiOperation({ summary: 'List the brand’s coupon templates, newest first' })
  @ApiOkResponse({ type: CouponTemplatePageResponseDto })
  async list(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<CouponTemplatePageResponseDto> {
    const page = await this.templates.list(staff.brandId, query);
    return {
      items: page.items.map((t) => CouponTemplateResponseDto.from(t)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One coupon template (with issued count and spent budget)' })
  @ApiOkResponse({ type: CouponTemplateResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<CouponTemplateResponseDto> {
    return CouponTemplateResponseDto.from(await this.templates.getById(staff.brandId, id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a coupon template (owner/marketer, audited)',
    description: 'Absent fields are unchanged, `null` clears. `active: false` retires it.',
  })
  @ApiOkResponse({ type: CouponTemplateResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateCouponTemplateRequestDto,
  ): Promise<CouponTemplateResponseDto> {
    return CouponTemplateResponseDto.from(
      await this.templates.update({ brandId: staff.brandId, id: staff.id, requestId }, id, body),
    );
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Retire a coupon template (owner/marketer, audited): sets active false, keeps history',
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.templates.deactivate({ brandId: staff.brandId, id: staff.id, requestId }, id);
  }

  @Post(':id/issue')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Issue a code of this template to a member (owner/marketer, audited)',
    description: 'Idempotent on the Idempotency-Key header: a retry returns the same code.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: CouponResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'Template inactive, max issued or per-member cap reached',
    type: ErrorResponseDto,
  })
  async issue(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
    @Headers('idempotency-key') idempotencyKey: unknown,
    @Body() body: IssueCouponRequestDto,
  ): Promise<CouponResponseDto> {
    const key = requireIdempotencyKey(idempotencyKey);
    const { coupon } = await this.coupons.issueByStaff(
      { brandId: staff.brandId, id: staff.id, requestId },
      id,
      body.memberId.toLowerCase(),
      key,
    );
    return CouponResponseDto.from(coupon);
  }
}
