import { ApiProperty } from '@nestjs/swagger';
import type { ModerationRule } from '../moderation.repository';

export class ModerationRuleResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['keyword', 'regex'] }) match!: ModerationRule['match'];
  @ApiProperty() pattern!: string;
  @ApiProperty({ enum: ['block', 'hold', 'flag'] }) action!: ModerationRule['action'];
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(rule: ModerationRule): ModerationRuleResponseDto {
    return {
      id: rule.id,
      name: rule.name,
      match: rule.match,
      pattern: rule.pattern,
      action: rule.action,
      active: rule.active,
      createdAt: rule.createdAt.toISOString(),
      updatedAt: rule.updatedAt.toISOString(),
    };
  }
}

export class ModerationRulePageResponseDto {
  @ApiProperty({ type: [ModerationRuleResponseDto] }) items!: ModerationRuleResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
