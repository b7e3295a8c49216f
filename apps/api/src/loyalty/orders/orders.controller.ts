import { Body, Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  type ApiKeyPrincipal,
  ApiKeyAuth,
  CurrentPrincipal,
  ErrorResponseDto,
} from '@app/identity';
import {
  BehaviourEventRequestDto,
  BehaviourEventResponseDto,
  EarningRulesService,
  OrderRequestDto,
  OrderResponseDto,
  OrdersService,
  RefundRequestDto,
  RefundResponseDto,
  SignedStorefrontRequest,
} from '@app/loyalty';

const storefrontActor = (p: ApiKeyPrincipal) => ({ type: 'storefront' as const, id: p.id });

@ApiTags('storefront orders')
@Controller('v1')
export class OrdersController {
  constructor(
    @Inject(OrdersService) private readonly orders: OrdersService,
    @Inject(EarningRulesService) private readonly rules: EarningRulesService,
  ) {}

  @Post('orders')
  @SignedStorefrontRequest()
  @ApiOperation({
    summary: 'Ingest a paid order and award its points (signed storefront request)',
    description:
      "Idempotent on the storefront's orderId: a retry returns the same body with 200 and awards nothing twice. " +
      'Points = floor(Σ eligible line paidMinor / 10^minor digits × pointsPerUnit × category/product multiplier × tier multiplier), ' +
      'spread over the lines by largest remainder. A brand without an active purchase rule earns the default: ' +
      '1 point per currency unit paid (ruleId null). Orders below the rule’s minOrderMinor earn nothing.',
  })
  @ApiCreatedResponse({ type: OrderResponseDto })
  @ApiOkResponse({ type: OrderResponseDto, description: 'The order already existed' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown member' })
  async ingest(
    @CurrentPrincipal() storefront: ApiKeyPrincipal,
    @Body() body: OrderRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponseDto> {
    const result = await this.orders.ingest(storefront.brandId, body, storefrontActor(storefront));
    void reply.status(result.created ? 201 : 200);
    return OrderResponseDto.from(result);
  }

  @Get('orders/:orderId')
  @ApiKeyAuth()
  @ApiOperation({ summary: "An ingested order by the storefront's order id (API key)" })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() storefront: ApiKeyPrincipal,
    @Param('orderId') orderId: string,
  ): Promise<OrderResponseDto> {
    return OrderResponseDto.from(await this.orders.get(storefront.brandId, orderId));
  }

  @Post('orders/:orderId/refunds')
  @SignedStorefrontRequest()
  @ApiOperation({
    summary: 'Refund lines of an order (or all of it) and claw back their points (signed)',
    description: "Idempotent on the storefront's refundId.",
  })
  @ApiCreatedResponse({ type: RefundResponseDto })
  @ApiOkResponse({ type: RefundResponseDto, description: 'The refund already existed' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async refund(
    @CurrentPrincipal() storefront: ApiKeyPrincipal,
    @Param('orderId') orderId: string,
    @Body() body: RefundRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundResponseDto> {
    const result = await this.orders.refund(
      storefront.brandId,
      orderId,
      body,
      storefrontActor(storefront),
    );
    void reply.status(result.created ? 201 : 200);
    return RefundResponseDto.from(result);
  }

  @Post('behaviour-events')
  @SignedStorefrontRequest()
  @ApiOperation({
    summary: 'A survey answered or a share made: awards the brand rule within its caps (signed)',
    description: 'Idempotent on sourceId (per kind).',
  })
  @ApiOkResponse({ type: BehaviourEventResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async behaviour(
    @CurrentPrincipal() storefront: ApiKeyPrincipal,
    @Body() body: BehaviourEventRequestDto,
  ): Promise<BehaviourEventResponseDto> {
    const award = await this.rules.awardBehaviourEvent(
      storefront.brandId,
      body,
      storefrontActor(storefront),
    );
    return BehaviourEventResponseDto.from(award);
  }
}
