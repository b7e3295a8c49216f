import { ApiProperty } from '@nestjs/swagger';
import type { CommentView } from '../comments/comments.service';
import { REACTION_KINDS, type ReactionKind } from '../reactions/reactions.repository';
import { UGC_STATUSES, type UgcStatus } from './post.response.dto';

export class CommentResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) postId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) parentId!: string | null;
  @ApiProperty({ format: 'uuid' }) authorId!: string;
  @ApiProperty({ description: 'Plain text as given; never HTML — render it as text' })
  body!: string;
  @ApiProperty({ enum: UGC_STATUSES }) status!: UgcStatus;
  @ApiProperty() reactionCount!: number;
  @ApiProperty() replyCount!: number;
  @ApiProperty({ enum: REACTION_KINDS, nullable: true }) myReaction!: ReactionKind | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) editedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(c: CommentView): CommentResponseDto {
    return {
      id: c.id,
      postId: c.postId,
      parentId: c.parentId,
      authorId: c.authorId,
      body: c.body,
      status: c.status,
      reactionCount: c.reactionCount,
      replyCount: c.replyCount,
      myReaction: c.myReaction,
      editedAt: c.editedAt?.toISOString() ?? null,
      createdAt: c.createdAt.toISOString(),
    };
  }
}

export class CommentPageResponseDto {
  @ApiProperty({ type: [CommentResponseDto] }) items!: CommentResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
