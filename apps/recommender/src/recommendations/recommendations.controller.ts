import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  type ApiKeyPrincipal,
  ApiKeyAuth,
  Authenticated,
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  type StaffPrincipal,
} from '@app/identity';
import {
  RecommendationsQueryDto,
  RecommendationsResponseDto,
  RecommendationsService,
  SimilarProductsResponseDto,
  SimilarQueryDto,
} from '@app/ml';
import { MemoizedQueryPipe } from './memoized-query.pipe';

/** The validated query (an interface, so the global ValidationPipe leaves it to the memoised one). */
type RecommendationsQuery = Readonly<
  Pick<RecommendationsQueryDto, 'limit' | 'category' | 'exclude_purchased' | 'in_stock_only'>
>;

@ApiTags('recommendations')
@Controller('v1')
export class RecommendationsController {
  constructor(
    @Inject(RecommendationsService) private readonly recommendations: RecommendationsService,
  ) {}

  @Get('members/:id/recommendations')
  // Staff tokens are what the api forwards for the console's member lookup (docs/adr/0020).
  @Authenticated({ apiKey: true, staff: ['owner', 'marketer'] })
  @ApiOperation({
    summary:
      'Ranked products for a member, each with a score and a reason (storefront API key; staff owner/marketer)',
    description:
      'Blend of collaborative filtering (iALS, folded in from the member’s latest purchases), re-buy and ' +
      'recent popularity. Filters apply before the list is cut to `limit`. A member without history gets ' +
      'popular items (`strategy: cold_start`); a brand without a trained model gets popularity and re-buys.',
  })
  @ApiQuery({ type: RecommendationsQueryDto })
  @ApiOkResponse({ type: RecommendationsResponseDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Unknown member (or another brand’s)',
  })
  // The body is the cached answer's JSON bytes (RecommendationsResponseDto, serialised once per
  // answer rather than once per request): the storefront hot path, docs/adr/0024.
  @Header('content-type', 'application/json; charset=utf-8')
  forMember(
    @CurrentPrincipal() caller: ApiKeyPrincipal | StaffPrincipal,
    @Param('id', ParseUuidPipe) memberId: string,
    @Query(new MemoizedQueryPipe(RecommendationsQueryDto)) query: RecommendationsQuery,
  ): Promise<Buffer> {
    return this.recommendations.forMemberJson(caller.brandId, memberId, {
      limit: query.limit,
      category: query.category,
      excludePurchased: query.exclude_purchased,
      inStockOnly: query.in_stock_only,
    });
  }

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
