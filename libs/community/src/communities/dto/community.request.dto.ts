import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '@app/common';
import type { CommunityRole, CommunityVisibility } from '../community-access';

export const COMMUNITY_VISIBILITIES: CommunityVisibility[] = ['public', 'members_only', 'invite'];
export const COMMUNITY_ROLES: CommunityRole[] = ['member', 'moderator', 'owner'];

export class CreateCommunityRequestDto {
  @ApiProperty({ maxLength: 120, example: 'Runners' })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({
    pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$',
    example: 'runners',
    description: 'URL-safe, unique per brand',
  })
  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/)
  slug!: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Plain text' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ enum: COMMUNITY_VISIBILITIES, default: 'public' })
  @IsOptional()
  @IsIn(COMMUNITY_VISIBILITIES)
  visibility?: CommunityVisibility;

  @ApiPropertyOptional({ maxLength: 10000, description: 'Community rules, plain text' })
  @IsOptional()
  @IsString()
  @Length(0, 10000)
  rules?: string;
}

export class UpdateCommunityRequestDto extends PartialType(CreateCommunityRequestDto) {}

export class CommunityListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Staff only: include archived communities' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  includeArchived?: boolean;
}

export class InviteRequestDto {
  @ApiProperty({ format: 'uuid', description: 'A member of the brand' })
  @IsUUID()
  memberId!: string;
}

export class SetCommunityRoleRequestDto {
  @ApiProperty({ enum: COMMUNITY_ROLES })
  @IsIn(COMMUNITY_ROLES)
  role!: CommunityRole;
}
