import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@app/common';
import { caseReason } from '@app/db';

export class ModerationQueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ enum: caseReason.enumValues })
  @IsOptional()
  @IsIn(caseReason.enumValues)
  reason?: (typeof caseReason.enumValues)[number];
}

export class ModerationActionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  targetId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The author or sanctioned member' })
  @IsOptional()
  @IsUUID()
  memberId?: string;
}
