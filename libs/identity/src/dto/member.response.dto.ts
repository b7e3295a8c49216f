import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { MemberConsents, MemberProfile } from '@app/db';
import { missingProfileFields } from '../members/member-profile';
import type { Member } from '../members/members.repository';

export class MemberProfileResponseDto {
  @ApiPropertyOptional() gender?: string;
  @ApiPropertyOptional() city?: string;
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2' }) country?: string;
  @ApiPropertyOptional() locale?: string;
  @ApiPropertyOptional({ format: 'uri' }) avatarUrl?: string;
  @ApiPropertyOptional({ type: [String] }) interests?: string[];
}

export class MemberConsentsResponseDto {
  @ApiProperty() email!: boolean;
  @ApiProperty() sms!: boolean;
  @ApiProperty() push!: boolean;
  @ApiProperty() personalisation!: boolean;
}

/** A member as the member and the brand's staff see it (never the password hash). */
export class MemberResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) brandId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'email' }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) firstName!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) birthday!: string | null;
  @ApiProperty({ type: MemberProfileResponseDto }) profile!: MemberProfile;
  @ApiProperty({ type: MemberConsentsResponseDto }) consents!: MemberConsents;
  @ApiProperty({ description: 'Code this member shares to refer friends' }) referralCode!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) referredBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) profileCompletedAt!:
    string | null;
  @ApiProperty({
    type: [String],
    description: 'Fields still needed for a complete profile',
    example: ['birthday'],
  })
  profileMissing!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(member: Member): MemberResponseDto {
    return {
      id: member.id,
      brandId: member.brandId,
      email: member.email,
      phone: member.phone,
      firstName: member.firstName,
      lastName: member.lastName,
      birthday: member.birthday,
      profile: member.profile,
      consents: member.consents,
      referralCode: member.referralCode,
      referredBy: member.referredBy,
      profileCompletedAt: member.profileCompletedAt?.toISOString() ?? null,
      profileMissing: missingProfileFields(member),
      createdAt: member.createdAt.toISOString(),
      updatedAt: member.updatedAt.toISOString(),
    };
  }
}

export class MemberPageResponseDto {
  @ApiProperty({ type: [MemberResponseDto] }) items!: MemberResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}

/** What other members and storefront widgets may show about a member. */
export class MemberCardResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Ada L.', description: 'First name and last initial' })
  displayName!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uri' }) avatarUrl!: string | null;
  @ApiProperty({ format: 'date-time' }) memberSince!: string;

  static from(member: Member): MemberCardResponseDto {
    const first = member.firstName?.trim();
    const initial = member.lastName?.trim().charAt(0);
    return {
      id: member.id,
      displayName: first ? (initial ? `${first} ${initial.toUpperCase()}.` : first) : 'Member',
      avatarUrl: member.profile.avatarUrl ?? null,
      memberSince: member.createdAt.toISOString(),
    };
  }
}

/** A member summary for the brand's storefronts (API key): contact, consents, referral code. */
export class StorefrontMemberResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) externalId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'email' }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) firstName!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName!: string | null;
  @ApiProperty() referralCode!: string;
  @ApiProperty() profileCompleted!: boolean;
  @ApiProperty({ type: MemberConsentsResponseDto }) consents!: MemberConsents;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(member: Member): StorefrontMemberResponseDto {
    return {
      id: member.id,
      externalId: member.externalId,
      email: member.email,
      phone: member.phone,
      firstName: member.firstName,
      lastName: member.lastName,
      referralCode: member.referralCode,
      profileCompleted: member.profileCompletedAt !== null,
      consents: member.consents,
      createdAt: member.createdAt.toISOString(),
    };
  }
}
