import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  PHOTO_URL_MAX,
  RATING_MAX,
  RATING_MIN,
  REVIEW_BODY_MAX,
  REVIEW_PHOTOS_MAX,
  REVIEW_TITLE_MAX,
} from '../review-content';
import { PLAIN_TEXT, photoUrl } from './create-review.request.dto';

/** Only the fields sent change; the review is screened again. */
export class UpdateReviewRequestDto {
  @ApiPropertyOptional({ minimum: RATING_MIN, maximum: RATING_MAX })
  @IsOptional()
  @IsInt()
  @Min(RATING_MIN)
  @Max(RATING_MAX)
  rating?: number;

  @ApiPropertyOptional({ maxLength: REVIEW_TITLE_MAX, description: PLAIN_TEXT })
  @IsOptional()
  @IsString()
  @MaxLength(REVIEW_TITLE_MAX)
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: REVIEW_BODY_MAX, description: PLAIN_TEXT })
  @IsOptional()
  @IsString()
  @Length(1, REVIEW_BODY_MAX)
  body?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: REVIEW_PHOTOS_MAX,
    description: 'https photo URLs',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REVIEW_PHOTOS_MAX)
  @IsUrl(photoUrl, { each: true, message: 'each photo URL must be an https URL' })
  @MaxLength(PHOTO_URL_MAX, { each: true })
  photoUrls?: string[];
}
