import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '@app/common';
import { COMMENT_BODY_MAX } from '../posts/post-content';

const BODY_DOC = `Plain text, 1–${COMMENT_BODY_MAX} characters, stored as given and never rendered as HTML by the server`;

export class CreateCommentRequestDto {
  @ApiProperty({ maxLength: COMMENT_BODY_MAX, description: BODY_DOC })
  @IsString()
  @Length(1, COMMENT_BODY_MAX)
  body!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Reply to this top-level comment (a reply to a reply → 400 `reply_depth_exceeded`)',
  })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class UpdateCommentRequestDto {
  @ApiProperty({ maxLength: COMMENT_BODY_MAX, description: BODY_DOC })
  @IsString()
  @Length(1, COMMENT_BODY_MAX)
  body!: string;
}

export class CommentListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'List the replies of this comment' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}
