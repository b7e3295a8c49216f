import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/credential-policy';
import { STAFF_ROLES, type StaffRole } from '../principal';

export class CreateStaffRequestDto {
  @ApiProperty({ format: 'email', example: 'mod@acme.example' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({ maxLength: 100, example: 'Mo Derator' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ enum: STAFF_ROLES, example: 'moderator' })
  @IsIn(STAFF_ROLES)
  role!: StaffRole;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
    description: 'Initial password',
  })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;
}
