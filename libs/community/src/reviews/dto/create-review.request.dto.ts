import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  IsUrl,
  Length,
  MaxLength,
  Min,
  Max,
} from 'class-validator';
import {
  PHOTO_URL_MAX,
  RATING_MAX,
  RATING_MIN,
  REVIEW_BODY_MAX,
  REVIEW_PHOTOS_MAX,
  REVIEW_TITLE_MAX,
} from '../review-content';

export const PLAIN_TEXT = 'Plain text: stored as given, never rendered as HTML by the server.';
export const photoUrl = { protocols: ['https'], require_protocol: true, require_host: true };

export class CreateReviewRequestDto {
  @ApiProperty({ description: "The storefront's order id of a purchase of yours", maxLength: 200 })
  @IsString()
  @Length(1, 200)
  orderId!: string;

  @ApiProperty({ minimum: 1, description: 'The order line reviewed' })
  @IsInt()
  @Min(1)
  lineNo!: number;

  @ApiProperty({ minimum: RATING_MIN, maximum: RATING_MAX })
  @IsInt()
  @Min(RATING_MIN)
  @Max(RATING_MAX)
  rating!: number;

  @ApiPropertyOptional({ maxLength: REVIEW_TITLE_MAX, description: PLAIN_TEXT })
  @IsOptional()
  @IsString()
  @MaxLength(REVIEW_TITLE_MAX)
  title?: string;

  @ApiProperty({ minLength: 1, maxLength: REVIEW_BODY_MAX, description: PLAIN_TEXT })
  @IsString()
  @Length(1, REVIEW_BODY_MAX)
  body!: string;

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

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Also share the review as a post into this community (you must be a member)',
  })
  @IsOptional()
  @IsUUID()
  communityId?: string;
}
