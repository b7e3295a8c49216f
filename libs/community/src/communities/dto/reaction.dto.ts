import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { REACTION_KINDS, type ReactionKind } from '../reactions/reactions.repository';
import type { ReactionState } from '../reactions/reactions.service';

export class ReactionRequestDto {
  @ApiProperty({ enum: REACTION_KINDS })
  @IsIn(REACTION_KINDS)
  kind!: ReactionKind;
}

export class ReactionResponseDto {
  @ApiProperty({ enum: ['post', 'comment'] }) targetType!: 'post' | 'comment';
  @ApiProperty({ format: 'uuid' }) targetId!: string;
  @ApiProperty({ enum: REACTION_KINDS, nullable: true }) kind!: ReactionKind | null;
  @ApiProperty() reactionCount!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { like: 3, love: 1, haha: 0, wow: 0, sad: 0, fire: 2 },
  })
  counts!: Record<ReactionKind, number>;

  static from(s: ReactionState): ReactionResponseDto {
    return { ...s };
  }
}
