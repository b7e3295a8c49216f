import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsISO31661Alpha2,
  IsLocale,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
} from 'class-validator';
import { IsOptionalNotNull } from './validators';

/** Profile fields; in an update `null` clears a field and an absent field is left as it is. */
export class MemberProfileRequestDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 32, example: 'female' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  gender?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, example: 'Lyon' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  city?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'ISO 3166-1 alpha-2',
    example: 'FR',
  })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'BCP 47 language tag',
    example: 'fr-FR',
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @IsLocale()
  locale?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uri',
    example: 'https://cdn.example.com/a.png',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['https'], require_protocol: true })
  avatarUrl?: string | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    maxItems: 20,
    example: ['running', 'coffee'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  interests?: string[] | null;
}

/** Marketing and personalisation consents; absent flags are left unchanged (false on sign-up). */
export class MemberConsentsRequestDto {
  @ApiPropertyOptional({ type: Boolean })
  @IsOptionalNotNull()
  @IsBoolean()
  email?: boolean;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptionalNotNull()
  @IsBoolean()
  sms?: boolean;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptionalNotNull()
  @IsBoolean()
  push?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'Use of purchase history for recommendations and offers',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  personalisation?: boolean;
}
