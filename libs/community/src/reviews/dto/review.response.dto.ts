import { ApiProperty } from '@nestjs/swagger';
import type { ProductReviewsPage, ReviewView } from '../reviews.service';
import type { RatingSummary } from '../review-stats';

const PLAIN_TEXT = 'Plain text as the author wrote it: render it escaped, never as HTML.';

export class ReviewResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() productId!: string;
  @ApiProperty({ format: 'uuid' }) authorId!: string;
  @ApiProperty({ example: 'Ada L.', description: 'First name and last initial' })
  authorName!: string;
  @ApiProperty({ description: "The storefront's order id" }) orderId!: string;
  @ApiProperty() lineNo!: number;
  @ApiProperty({ minimum: 1, maximum: 5 }) rating!: number;
  @ApiProperty({ description: PLAIN_TEXT }) title!: string;
  @ApiProperty({ description: PLAIN_TEXT }) body!: string;
  @ApiProperty({ type: [String] }) photoUrls!: string[];
  @ApiProperty({ enum: ['published', 'held', 'hidden', 'removed'] }) status!: string;
  @ApiProperty({ description: 'Always true: reviews are only accepted for lines bought' })
  verifiedPurchase!: boolean;
  @ApiProperty({ description: 'The review earned points or a coupon (disclosure badge)' })
  incentivised!: boolean;
  @ApiProperty() helpfulCount!: number;
  @ApiProperty({ description: 'Whether you marked it helpful (always false for storefronts)' })
  helpfulByMe!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) communityId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) editedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(review: ReviewView): ReviewResponseDto {
    return {
      id: review.id,
      productId: review.productId,
      authorId: review.memberId,
      authorName: review.authorName,
      orderId: review.externalOrderId,
      lineNo: review.lineNo,
      rating: review.rating,
      title: review.title,
      body: review.body,
      photoUrls: review.photoUrls,
      status: review.status,
      verifiedPurchase: true,
      incentivised: review.incentivised,
      helpfulCount: review.helpfulCount,
      helpfulByMe: review.helpfulByMe,
      communityId: review.communityId,
      editedAt: review.editedAt?.toISOString() ?? null,
      createdAt: review.createdAt.toISOString(),
    };
  }
}

export class ReviewPageResponseDto {
  @ApiProperty({ type: [ReviewResponseDto] }) items!: ReviewResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RatingDistributionDto {
  @ApiProperty({ name: '1' }) '1'!: number;
  @ApiProperty({ name: '2' }) '2'!: number;
  @ApiProperty({ name: '3' }) '3'!: number;
  @ApiProperty({ name: '4' }) '4'!: number;
  @ApiProperty({ name: '5' }) '5'!: number;
}

export class RatingSummaryDto {
  @ApiProperty({ description: 'Published reviews of the product' }) count!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean rating, two decimals' })
  average!: number | null;
  @ApiProperty({ type: RatingDistributionDto, description: 'Published reviews per star' })
  distribution!: RatingDistributionDto;

  static from(summary: RatingSummary): RatingSummaryDto {
    return { ...summary, distribution: { ...summary.distribution } };
  }
}

export class ProductReviewsResponseDto extends ReviewPageResponseDto {
  @ApiProperty() productId!: string;
  @ApiProperty({ type: RatingSummaryDto }) summary!: RatingSummaryDto;

  static from(productId: string, page: ProductReviewsPage): ProductReviewsResponseDto {
    return {
      productId,
      summary: RatingSummaryDto.from(page.summary),
      items: page.items.map((r) => ReviewResponseDto.from(r)),
      nextCursor: page.nextCursor,
    };
  }
}

export class HelpfulVoteResponseDto {
  @ApiProperty({ format: 'uuid' }) reviewId!: string;
  @ApiProperty() helpfulCount!: number;
  @ApiProperty() helpfulByMe!: boolean;
}
