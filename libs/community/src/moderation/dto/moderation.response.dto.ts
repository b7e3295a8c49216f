import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ModerationActionRow, Sanction } from '../moderation.repository';
import type { QueueItem } from '../moderation-queue.service';

export class ModerationActionResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ type: String, nullable: true }) targetType!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) targetId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) communityId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) memberId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) caseId!: string | null;
  @ApiProperty({ description: 'Plain text' }) reason!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) until!: string | null;
  @ApiProperty({ enum: ['staff', 'member', 'system'] }) actorType!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(row: ModerationActionRow): ModerationActionResponseDto {
    return {
      id: row.id,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      communityId: row.communityId,
      memberId: row.memberId,
      caseId: row.caseId,
      reason: row.reason,
      until: row.until?.toISOString() ?? null,
      actorType: row.actorType,
      actorId: row.actorId,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class ModerationActionPageResponseDto {
  @ApiProperty({ type: [ModerationActionResponseDto] }) items!: ModerationActionResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SanctionResponseDto {
  @ApiProperty({ format: 'uuid' }) communityId!: string;
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({ enum: ['mute', 'ban'] }) kind!: string;
  @ApiProperty({ format: 'date-time' }) until!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid' }) actionId!: string;

  static from(sanction: Sanction, action: ModerationActionRow): SanctionResponseDto {
    return {
      communityId: sanction.communityId,
      memberId: sanction.memberId,
      kind: sanction.kind,
      until: sanction.until.toISOString(),
      reason: sanction.reason,
      actionId: action.id,
    };
  }
}

class QueueContentDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: `Plain text (never HTML), at most 500 characters; null if the content is gone`,
  })
  text!: string | null;
  @ApiProperty() truncated!: boolean;
  @ApiProperty({ type: String, nullable: true }) status!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Comments: their post' })
  postId!: string | null;
}

class QueueAuthorDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

class QueueCommunityDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

class QueueReportsDto {
  @ApiProperty() count!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { spam: 2, abuse: 1 },
  })
  reasons!: Record<string, number>;
}

export class QueueItemResponseDto {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: ['post', 'comment', 'review', 'chat_message'] }) targetType!: string;
  @ApiProperty({ format: 'uuid' }) targetId!: string;
  @ApiProperty({ enum: ['held', 'flagged', 'reported'] }) reason!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: QueueContentDto }) content!: QueueContentDto;
  @ApiProperty({ type: QueueAuthorDto }) author!: QueueAuthorDto;
  @ApiProperty({ type: QueueCommunityDto, nullable: true }) community!: QueueCommunityDto | null;
  @ApiProperty({ type: QueueReportsDto }) reports!: QueueReportsDto;
  @ApiProperty({ type: [String], description: 'Names of the rules that matched at screening' })
  ruleNames!: string[];

  static from(item: QueueItem): QueueItemResponseDto {
    return {
      caseId: item.case.id,
      targetType: item.case.targetType,
      targetId: item.case.targetId,
      reason: item.case.reason,
      openedAt: item.case.openedAt.toISOString(),
      content: item.content,
      author: item.author,
      community: item.community,
      reports: { count: item.reports.count, reasons: item.reports.reasons },
      ruleNames: item.ruleNames,
    };
  }
}

export class QueuePageResponseDto {
  @ApiProperty({ type: [QueueItemResponseDto] }) items!: QueueItemResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
