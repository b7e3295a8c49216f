import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RecommendationReasonDto {
  @ApiProperty({ enum: ['because_you_bought', 'buy_again', 'popular', 'similar'] })
  kind!: string;

  @ApiProperty({ example: 'because you bought Organic Milk (1 gal)' })
  text!: string;

  @ApiPropertyOptional({ description: 'The product the reason refers to' })
  productId?: string;

  @ApiPropertyOptional({ description: 'buy_again: the member’s usual interval, in weeks' })
  everyWeeks?: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  category?: string | null;
}

export class RecommendedItemDto {
  @ApiProperty()
  productId!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true })
  category!: string | null;

  @ApiProperty({ description: 'Blend score (higher is better; comparable within one response)' })
  score!: number;

  @ApiProperty({ type: RecommendationReasonDto })
  reason!: RecommendationReasonDto;
}

export class RecommendationsResponseDto {
  @ApiProperty()
  memberId!: string;

  @ApiProperty({ enum: ['personalised', 'cold_start'] })
  strategy!: 'personalised' | 'cold_start';

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Active model version; null before the first training',
  })
  modelVersion!: string | null;

  @ApiProperty({ type: [RecommendedItemDto] })
  items!: RecommendedItemDto[];
}

export class SimilarProductsResponseDto {
  @ApiProperty()
  productId!: string;

  @ApiProperty({ type: String, nullable: true })
  modelVersion!: string | null;

  @ApiProperty({ type: [RecommendedItemDto] })
  items!: RecommendedItemDto[];
}
