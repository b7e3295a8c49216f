import { ApiProperty } from '@nestjs/swagger';
import { STAFF_ROLES, type StaffRole } from '../principal';
import type { StaffUser } from '../staff/staff.repository';

export class StaffResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) brandId!: string;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) disabledAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(user: StaffUser): StaffResponseDto {
    return {
      id: user.id,
      brandId: user.brandId,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      disabledAt: user.disabledAt?.toISOString() ?? null,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

export class StaffPageResponseDto {
  @ApiProperty({ type: [StaffResponseDto] }) items!: StaffResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
