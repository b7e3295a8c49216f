import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../auth/credential-policy';
import { E164_PATTERN } from '../members/member-profile';
import { IsOptionalNotNull } from './validators';

/** Member login by email or phone. No password policy here: it would hint at account state. */
export class MemberLoginRequestDto {
  @ApiProperty({ example: 'acme' })
  @IsString()
  @Length(1, 63)
  brandSlug!: string;

  @ApiPropertyOptional({ format: 'email', example: 'ada@example.com' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ example: '+447700900123' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 format, e.g. +14155550123' })
  phone?: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;
}

export class StaffLoginRequestDto {
  @ApiProperty({ example: 'acme' })
  @IsString()
  @Length(1, 63)
  brandSlug!: string;

  @ApiProperty({ format: 'email', example: 'owner@acme.example' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;
}

/** Body of `/v1/auth/refresh` and `/v1/auth/logout`. */
export class RefreshTokenRequestDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh' })
  @IsString()
  @Length(1, 4096)
  refreshToken!: string;
}
