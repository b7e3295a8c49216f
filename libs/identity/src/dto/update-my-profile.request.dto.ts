import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { MemberConsentsRequestDto, MemberProfileRequestDto } from './member-profile.request.dto';
import { IsBirthday, IsOptionalNotNull } from './validators';

/** A member's edit of their own profile: absent fields are unchanged, `null` clears a field. */
export class UpdateMyProfileRequestDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  firstName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  lastName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date', example: '1990-12-10' })
  @IsOptional()
  @IsString()
  @IsBirthday()
  birthday?: string | null;

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
}
