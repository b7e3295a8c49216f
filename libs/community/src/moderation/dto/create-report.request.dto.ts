import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { reportReason } from '@app/db';

const TARGETS = ['post', 'comment', 'review'] as const;

export class CreateReportRequestDto {
  @ApiProperty({ enum: TARGETS })
  @IsIn(TARGETS)
  targetType!: (typeof TARGETS)[number];

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  targetId!: string;

  @ApiProperty({ enum: reportReason.enumValues })
  @IsIn(reportReason.enumValues)
  reason!: (typeof reportReason.enumValues)[number];

  @ApiPropertyOptional({ maxLength: 1000, description: 'Plain text, never rendered as HTML' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}
