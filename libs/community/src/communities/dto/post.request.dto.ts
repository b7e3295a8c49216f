import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '@app/common';
import { FEED_SORTS, type FeedSort } from '../posts/feed-cursor';
import {
  MAX_IMAGES,
  MAX_IMAGE_URL_LENGTH,
  MAX_PRODUCT_TAGS,
  POLL_OPTIONS_MAX,
  POLL_OPTIONS_MIN,
  POST_BODY_MAX,
} from '../posts/post-content';

const BODY_DOC = `Plain text, 1–${POST_BODY_MAX} characters, stored as given and never rendered as HTML by the server`;
const httpsUrl = () =>
  IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: false },
    { each: true, message: 'each image URL must be an https URL' },
  );

export class PollRequestDto {
  @ApiProperty({ maxLength: 300 })
  @IsString()
  @Length(1, 300)
  question!: string;

  @ApiProperty({ type: [String], minItems: POLL_OPTIONS_MIN, maxItems: POLL_OPTIONS_MAX })
  @IsArray()
  @ArrayMinSize(POLL_OPTIONS_MIN)
  @ArrayMaxSize(POLL_OPTIONS_MAX)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  options!: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @Type(() => Date)
  @IsDate()
  closesAt?: Date | null;
}

export class CreatePostRequestDto {
  @ApiProperty({ maxLength: POST_BODY_MAX, description: BODY_DOC })
  @IsString()
  @Length(1, POST_BODY_MAX)
  body!: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_IMAGES,
    description: `Up to ${MAX_IMAGES} https image URLs`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_IMAGES)
  @MaxLength(MAX_IMAGE_URL_LENGTH, { each: true })
  @httpsUrl()
  imageUrls?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_PRODUCT_TAGS,
    description: 'Product ids the brand sells (unknown ids → 400 `unknown_product`)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PRODUCT_TAGS)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  productIds?: string[];

  @ApiPropertyOptional({ type: PollRequestDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PollRequestDto)
  poll?: PollRequestDto;
}

export class UpdatePostRequestDto {
  @ApiPropertyOptional({ maxLength: POST_BODY_MAX, description: BODY_DOC })
  @IsOptional()
  @IsString()
  @Length(1, POST_BODY_MAX)
  body?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_IMAGES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_IMAGES)
  @MaxLength(MAX_IMAGE_URL_LENGTH, { each: true })
  @httpsUrl()
  imageUrls?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: MAX_PRODUCT_TAGS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PRODUCT_TAGS)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  productIds?: string[];
}

export class FeedQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: FEED_SORTS, default: 'new' })
  @IsOptional()
  @IsIn(FEED_SORTS)
  sort?: FeedSort;
}

export class PollVoteRequestDto {
  @ApiProperty({ description: 'An option id of the post’s poll' })
  @IsString()
  @Length(1, 32)
  optionId!: string;
}
