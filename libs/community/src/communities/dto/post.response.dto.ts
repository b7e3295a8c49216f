import { ApiProperty } from '@nestjs/swagger';
import type { PollDefinition } from '@app/db';
import { REACTION_KINDS, type ReactionKind } from '../reactions/reactions.repository';
import type { PostView } from '../posts/posts.service';

const PLAIN = 'Plain text as given; never HTML — render it as text';
export const UGC_STATUSES = ['published', 'held', 'hidden', 'removed', 'deleted'] as const;
export type UgcStatus = (typeof UGC_STATUSES)[number];

export class PollOptionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: PLAIN }) text!: string;
  @ApiProperty() votes!: number;
}

export class PollResponseDto {
  @ApiProperty({ description: PLAIN }) question!: string;
  @ApiProperty({ type: [PollOptionResponseDto] }) options!: PollOptionResponseDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) closesAt!: string | null;
  @ApiProperty() totalVotes!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The caller’s option id' })
  myVote!: string | null;

  static from(poll: PollDefinition, myVote: string | null): PollResponseDto {
    const options = poll.options.map((o) => ({ ...o, votes: poll.counts[o.id] ?? 0 }));
    return {
      question: poll.question,
      options,
      closesAt: poll.closesAt,
      totalVotes: options.reduce((sum, o) => sum + o.votes, 0),
      myVote,
    };
  }
}

export class PostResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) communityId!: string;
  @ApiProperty({ format: 'uuid' }) authorId!: string;
  @ApiProperty({ description: PLAIN }) body!: string;
  @ApiProperty({ type: [String], description: 'https URLs (validated, never fetched)' })
  imageUrls!: string[];
  @ApiProperty({ type: [String] }) productIds!: string[];
  @ApiProperty({ type: PollResponseDto, nullable: true }) poll!: PollResponseDto | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'A shared review' })
  reviewId!: string | null;
  @ApiProperty({ enum: UGC_STATUSES }) status!: UgcStatus;
  @ApiProperty() reactionCount!: number;
  @ApiProperty() commentCount!: number;
  @ApiProperty({ description: 'log10(max(1, reactions + 2×comments)) + epochSeconds/45000' })
  hotScore!: number;
  @ApiProperty() pinned!: boolean;
  @ApiProperty({ enum: REACTION_KINDS, nullable: true, description: 'The caller’s reaction' })
  myReaction!: ReactionKind | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) editedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(p: PostView): PostResponseDto {
    return {
      id: p.id,
      communityId: p.communityId,
      authorId: p.authorId,
      body: p.body,
      imageUrls: p.imageUrls,
      productIds: p.productIds,
      poll: p.poll ? PollResponseDto.from(p.poll, p.myVote) : null,
      reviewId: p.reviewId,
      status: p.status,
      reactionCount: p.reactionCount,
      commentCount: p.commentCount,
      hotScore: p.hotScore,
      pinned: p.pinnedAt !== null,
      myReaction: p.myReaction,
      editedAt: p.editedAt?.toISOString() ?? null,
      createdAt: p.createdAt.toISOString(),
    };
  }
}

export class PostPageResponseDto {
  @ApiProperty({ type: [PostResponseDto], description: 'First page: pinned posts first' })
  items!: PostResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
