import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsObject,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/credential-policy';
import { E164_PATTERN } from '../members/member-profile';
import { MemberConsentsRequestDto, MemberProfileRequestDto } from './member-profile.request.dto';
import { IsBirthday, IsOptionalNotNull } from './validators';

/** Sign-up: an email and/or an E.164 phone, a password, and optional profile data. */
export class RegisterMemberRequestDto {
  @ApiPropertyOptional({ format: 'email', maxLength: 254, example: 'ada@example.com' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ description: 'E.164 phone number', example: '+447700900123' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 format, e.g. +14155550123' })
  phone?: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
  })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'Ada' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  firstName?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'Lovelace' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  lastName?: string;

  @ApiPropertyOptional({ format: 'date', example: '1990-12-10' })
  @IsOptionalNotNull()
  @IsString()
  @IsBirthday()
  birthday?: string;

  @ApiPropertyOptional({ type: MemberProfileRequestDto })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => MemberProfileRequestDto)
  profile?: MemberProfileRequestDto;

  @ApiPropertyOptional({ type: MemberConsentsRequestDto })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => MemberConsentsRequestDto)
  consents?: MemberConsentsRequestDto;

  @ApiPropertyOptional({
    description: 'Referral code of the member who invited you',
    example: 'K7M4QX9B',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(32)
  referralCode?: string;
}
