import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LoginResult } from '../auth/auth.service';
import type { TokenPair } from '../auth/tokens.service';
import { STAFF_ROLES, type StaffRole } from '../principal';

export class TokenSubjectResponseDto {
  @ApiProperty({ enum: ['member', 'staff'] }) type!: 'member' | 'staff';
  @ApiProperty({ format: 'uuid' }) brandId!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional({ enum: STAFF_ROLES }) role?: StaffRole;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer …`' }) accessToken!: string;
  @ApiProperty({
    description:
      'Single-use: every refresh returns a new one; re-using an old one revokes the session',
  })
  refreshToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
  @ApiProperty({ description: 'Seconds until the refresh token expires' })
  refreshExpiresIn!: number;

  static from(pair: TokenPair): TokenResponseDto {
    return {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      tokenType: pair.tokenType,
      expiresIn: pair.expiresIn,
      refreshExpiresIn: pair.refreshExpiresIn,
    };
  }
}

export class LoginResponseDto extends TokenResponseDto {
  @ApiProperty({ type: TokenSubjectResponseDto }) subject!: TokenSubjectResponseDto;

  static fromLogin(result: LoginResult): LoginResponseDto {
    return { ...TokenResponseDto.from(result), subject: { ...result.subject } };
  }
}
