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
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PageQueryDto } from '@app/common';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  ParseUuidPipe,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  CreateRewardRequestDto,
  RedemptionPageResponseDto,
  RedemptionResponseDto,
  RewardPageResponseDto,
  RewardResponseDto,
  RewardsService,
  UpdateRewardRequestDto,
  requireIdempotencyKey,
} from '@app/loyalty';

@ApiTags('rewards')
@Controller('v1/rewards')
export class RewardsController {
  constructor(@Inject(RewardsService) private readonly rewards: RewardsService) {}

  @Post()
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a reward (owner/marketer, audited)' })
  @ApiCreatedResponse({ type: RewardResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: CreateRewardRequestDto,
  ): Promise<RewardResponseDto> {
    return RewardResponseDto.from(
      await this.rewards.create({ brandId: staff.brandId, id: staff.id, requestId }, body),
    );
  }

  @Get()
  @StaffAuth('owner', 'marketer')
  @ApiOperation({ summary: 'The brand’s reward catalogue, newest first (owner/marketer)' })
  @ApiOkResponse({ type: RewardPageResponseDto })
  async list(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<RewardPageResponseDto> {
    const page = await this.rewards.list(staff.brandId, query);
    return { items: page.items.map((r) => RewardResponseDto.from(r)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({ summary: 'One reward (owner/marketer)' })
  @ApiOkResponse({ type: RewardResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<RewardResponseDto> {
    return RewardResponseDto.from(await this.rewards.getById(staff.brandId, id));
  }

  @Patch(':id')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({
    summary: 'Change a reward (owner/marketer, audited)',
    description: 'Absent fields are unchanged, `null` clears. `active: false` retires it.',
  })
  @ApiOkResponse({ type: RewardResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateRewardRequestDto,
  ): Promise<RewardResponseDto> {
    return RewardResponseDto.from(
      await this.rewards.update({ brandId: staff.brandId, id: staff.id, requestId }, id, body),
    );
  }

  @Delete(':id')
  @StaffAuth('owner', 'marketer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Retire a reward (owner/marketer, audited): sets active false, keeps history',
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() staff: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.rewards.deactivate({ brandId: staff.brandId, id: staff.id, requestId }, id);
  }

  @Get(':id/redemptions')
  @StaffAuth('owner', 'marketer')
  @ApiOperation({ summary: 'Redemptions of a reward, newest first (owner/marketer)' })
  @ApiOkResponse({ type: RedemptionPageResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async redemptions(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<RedemptionPageResponseDto> {
    const page = await this.rewards.listRedemptions(staff.brandId, id, query);
    return {
      items: page.items.map((r) => RedemptionResponseDto.from(r)),
      nextCursor: page.nextCursor,
    };
  }

  @Post(':id/redemptions')
  @MemberAuth()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Redeem a reward for points (member)',
    description:
      'Idempotency-Key header required: a retry returns the same redemption (200) and never spends twice. 409 `loyalty.reward_out_of_stock`, `loyalty.insufficient_points`, `loyalty.reward_limit_reached`; 403 `loyalty.reward_tier_too_low`; 404 `loyalty.reward_not_found`.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: RedemptionResponseDto })
  @ApiOkResponse({ description: 'A retry: the original redemption', type: RedemptionResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async redeem(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Headers('idempotency-key') idempotencyKey: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RedemptionResponseDto> {
    const key = requireIdempotencyKey(idempotencyKey);
    const result = await this.rewards.redeem(member.brandId, member.id, id, key);
    if (result.duplicate) void reply.status(HttpStatus.OK);
    return RedemptionResponseDto.from(result.redemption, result.coupon);
  }
}
