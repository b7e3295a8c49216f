import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@app/common';
import { REVIEW_SORTS, type ReviewSort } from '../review-stats';

export class ProductReviewsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: REVIEW_SORTS,
    default: 'newest',
    description: '`newest` first, or most `helpful` first (ties newest first)',
  })
  @IsOptional()
  @IsIn(REVIEW_SORTS)
  sort?: ReviewSort;
}
