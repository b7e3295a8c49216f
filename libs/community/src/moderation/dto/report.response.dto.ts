import { ApiProperty } from '@nestjs/swagger';
import type { ContentReport } from '../moderation.repository';

export class ReportResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['post', 'comment', 'review'] }) targetType!: string;
  @ApiProperty({ format: 'uuid' }) targetId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'Plain text' }) note!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(report: ContentReport): ReportResponseDto {
    return {
      id: report.id,
      targetType: report.targetType,
      targetId: report.targetId,
      reason: report.reason,
      note: report.note,
      createdAt: report.createdAt.toISOString(),
    };
  }
}
