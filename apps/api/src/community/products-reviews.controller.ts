import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProductReviewsQueryDto, ProductReviewsResponseDto, ReviewsService } from '@app/community';
import { Authenticated, CurrentPrincipal, ErrorResponseDto, type Principal } from '@app/identity';

/** Product pages: a product's published reviews with its rating summary. */
@ApiTags('reviews')
@Controller('v1/products')
export class ProductsReviewsController {
  constructor(@Inject(ReviewsService) private readonly reviews: ReviewsService) {}

  @Get(':productId/reviews')
  @Authenticated({ member: true, apiKey: true })
  @ApiOperation({
    summary: "A product's published reviews with average rating and 1–5 distribution",
    description:
      'For storefronts (`x-api-key`) and members (JWT). `productId` is the storefront product id. ' +
      'Sorted `newest` or most `helpful` first, cursor-paginated; the summary covers every ' +
      'published review. Every item is a verified purchase; `incentivised` marks reviews that ' +
      'earned points or a coupon. Review text is plain text: render it escaped.',
  })
  @ApiOkResponse({ type: ProductReviewsResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Bad sort, limit or cursor' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('productId') productId: string,
    @Query() query: ProductReviewsQueryDto,
  ): Promise<ProductReviewsResponseDto> {
    const page = await this.reviews.listForProduct(
      { brandId: principal.brandId, memberId: principal.type === 'member' ? principal.id : null },
      productId,
      query,
    );
    return ProductReviewsResponseDto.from(productId, page);
  }
}
