import { ApiProperty } from '@nestjs/swagger';
import type { CommunityMember } from '../communities.repository';
import type { CommunityView } from '../communities.service';
import type { Community } from '../communities.repository';
import type { CommunityRole, CommunityVisibility } from '../community-access';
import { COMMUNITY_ROLES, COMMUNITY_VISIBILITIES } from './community.request.dto';

const PLAIN = 'Plain text as given; never HTML — render it as text';

export class CommunityResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ description: PLAIN }) name!: string;
  @ApiProperty({ description: PLAIN }) description!: string;
  @ApiProperty({ enum: COMMUNITY_VISIBILITIES }) visibility!: CommunityVisibility;
  @ApiProperty({ description: PLAIN }) rules!: string;
  @ApiProperty() memberCount!: number;
  @ApiProperty({ description: 'Posts not deleted by their author' }) postCount!: number;
  @ApiProperty({
    enum: COMMUNITY_ROLES,
    nullable: true,
    description: 'The caller’s role (null: not a member, or staff)',
  })
  myRole!: CommunityRole | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) archivedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(c: Community | CommunityView): CommunityResponseDto {
    return {
      id: c.id,
      slug: c.slug,
      name: c.name,
      description: c.description,
      visibility: c.visibility,
      rules: c.rules,
      memberCount: c.memberCount,
      postCount: c.postCount,
      myRole: 'myRole' in c ? c.myRole : null,
      archivedAt: c.archivedAt?.toISOString() ?? null,
      createdAt: c.createdAt.toISOString(),
    };
  }
}

export class CommunityPageResponseDto {
  @ApiProperty({ type: [CommunityResponseDto] }) items!: CommunityResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CommunityMemberResponseDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({ description: PLAIN }) displayName!: string;
  @ApiProperty({ enum: COMMUNITY_ROLES }) role!: CommunityRole;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;

  static from(m: CommunityMember & { displayName?: string }): CommunityMemberResponseDto {
    return {
      memberId: m.memberId,
      displayName: m.displayName ?? 'Member',
      role: m.role,
      joinedAt: m.joinedAt.toISOString(),
    };
  }
}

export class CommunityMemberPageResponseDto {
  @ApiProperty({ type: [CommunityMemberResponseDto] }) items!: CommunityMemberResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
