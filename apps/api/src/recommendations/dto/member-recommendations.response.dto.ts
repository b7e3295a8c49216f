import { ApiProperty } from '@nestjs/swagger';
import { RecommendedItemDto } from '@app/ml';
import type { RecommenderAnswer } from '../recommender.client';

export class MemberRecommendationsResponseDto {
  @ApiProperty({ format: 'uuid' })
  memberId!: string;

  @ApiProperty({
    description:
      'false when the recommender could not be reached, timed out (1.5 s) or failed: `items` is then ' +
      'empty and `unavailableReason` says why. Not an error status, so pages can show ' +
      '"Recommendations unavailable" without a failed request.',
  })
  available!: boolean;

  @ApiProperty({
    enum: ['unreachable', 'timeout', 'error'],
    nullable: true,
    type: String,
  })
  unavailableReason!: 'unreachable' | 'timeout' | 'error' | null;

  @ApiProperty({
    enum: ['personalised', 'cold_start'],
    nullable: true,
    type: String,
    description: 'cold_start: the member has no history and gets popular items',
  })
  strategy!: 'personalised' | 'cold_start' | null;

  @ApiProperty({ type: String, nullable: true, description: 'Active model version, if trained' })
  modelVersion!: string | null;

  @ApiProperty({
    type: [RecommendedItemDto],
    description: 'Best first, each with score and reason',
  })
  items!: RecommendedItemDto[];

  static from(memberId: string, answer: RecommenderAnswer): MemberRecommendationsResponseDto {
    if (!answer.available)
      return {
        memberId,
        available: false,
        unavailableReason: answer.reason,
        strategy: null,
        modelVersion: null,
        items: [],
      };
    return {
      memberId,
      available: true,
      unavailableReason: null,
      strategy: answer.body.strategy,
      modelVersion: answer.body.modelVersion,
      items: answer.body.items.map((item) => ({
        productId: item.productId,
        name: item.name,
        category: item.category,
        score: item.score,
        reason: item.reason,
      })),
    };
  }
}
