import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type ApiKeyPrincipal,
  ApiKeyAuth,
  CurrentPrincipal,
  ErrorResponseDto,
} from '@app/identity';
import { RecommendationsService, SimilarProductsResponseDto, SimilarQueryDto } from '@app/ml';

/**
 * Similar products. A member's recommendations are served by a Fastify-level route
 * (`recommendations.route.ts`, ADR 0026).
 */
@ApiTags('recommendations')
@Controller('v1')
export class RecommendationsController {
  constructor(
    @Inject(RecommendationsService) private readonly recommendations: RecommendationsService,
  ) {}

  @Get('products/:id/similar')
  @ApiKeyAuth()
  @ApiOperation({
    summary:
      'Products bought by the same members as this one (item-factor cosine; storefront API key)',
  })
  @ApiOkResponse({ type: SimilarProductsResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown product' })
  similar(
    @CurrentPrincipal() storefront: ApiKeyPrincipal,
    @Param('id') productId: string,
    @Query() query: SimilarQueryDto,
  ): Promise<SimilarProductsResponseDto> {
    return this.recommendations.similar(storefront.brandId, productId, {
      limit: query.limit,
      category: query.category,
      inStockOnly: query.in_stock_only,
    });
  }
}
