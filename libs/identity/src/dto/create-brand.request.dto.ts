import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsObject,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/credential-policy';
import { BRAND_SLUG_PATTERN } from '../brands/brand-slug';

export class BrandOwnerRequestDto {
  @ApiProperty({ format: 'email', example: 'owner@acme.example' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({ maxLength: 100, example: 'Grace Hopper' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
  })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;
}

/** A new tenant and its first owner (platform operator only). */
export class CreateBrandRequestDto {
  @ApiProperty({ pattern: BRAND_SLUG_PATTERN.source, example: 'acme' })
  @IsString()
  @Matches(BRAND_SLUG_PATTERN, {
    message: 'slug must be 2-63 lower-case letters, digits or dashes',
  })
  slug!: string;

  @ApiProperty({ maxLength: 200, example: 'Acme Outdoor' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: BrandOwnerRequestDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BrandOwnerRequestDto)
  owner!: BrandOwnerRequestDto;
}
