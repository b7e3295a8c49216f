import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { CONTENT_ACTIONS } from '../moderation-transitions';
import { MAX_SANCTION_MINUTES } from '../sanctions.service';

const TARGETS = ['post', 'comment', 'review', 'chat_message'] as const;
const SANCTIONS = ['mute', 'ban'] as const;

export class ContentActionRequestDto {
  @ApiProperty({
    enum: CONTENT_ACTIONS,
    description:
      'approve: held/hidden → published (first approval fires the reward); hide; remove (reward ' +
      'reversed); restore: hidden/removed → published (no new reward); dismiss: close the case. ' +
      'Drop chat messages take dismiss, and remove while held (a published one is deleted from ' +
      'the drop control room)',
  })
  @IsIn(CONTENT_ACTIONS)
  action!: (typeof CONTENT_ACTIONS)[number];

  @ApiProperty({ enum: TARGETS })
  @IsIn(TARGETS)
  targetType!: (typeof TARGETS)[number];

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  targetId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The open case this decides, if known' })
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiProperty({ maxLength: 500, description: 'Shown to the author; kept in the audit trail' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class SanctionRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  communityId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ enum: SANCTIONS })
  @IsIn(SANCTIONS)
  kind!: (typeof SANCTIONS)[number];

  @ApiProperty({ minimum: 1, maximum: MAX_SANCTION_MINUTES, example: 1440 })
  @IsInt()
  @Min(1)
  @Max(MAX_SANCTION_MINUTES)
  durationMinutes!: number;

  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class LiftSanctionRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  communityId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ enum: SANCTIONS })
  @IsIn(SANCTIONS)
  kind!: (typeof SANCTIONS)[number];

  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;
}
