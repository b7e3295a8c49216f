import { ApiProperty } from '@nestjs/swagger';
import type { MemberPredictionRow } from '../predictions.repository';

export class MemberPredictionResponseDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({
    description: 'Model that produced the window probabilities (hazard, bgnbd or recency)',
    example: 'bgnbd',
  })
  algorithm!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) modelVersionId!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'Median predicted next purchase (null: unlikely within two years)',
  })
  nextPurchaseAt!: string | null;
  @ApiProperty({ description: 'P(purchase within 7 days)' }) p7!: number;
  @ApiProperty({ description: 'P(purchase within 14 days)' }) p14!: number;
  @ApiProperty({ description: 'P(purchase within 28 days)' }) p28!: number;
  @ApiProperty({ description: 'P(still an active customer) under BG/NBD' }) pAlive!: number;
  @ApiProperty({ description: 'Expected purchases in the next 12 months' })
  expectedPurchases12m!: number;
  @ApiProperty({ description: 'Discounted expected spend over 12 months, minor units' })
  clv12mMinor!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  windowEnteredAt!: string | null;
  @ApiProperty({ format: 'date-time' }) computedAt!: string;

  static from(row: MemberPredictionRow): MemberPredictionResponseDto {
    return {
      memberId: row.memberId,
      algorithm: row.algorithm,
      modelVersionId: row.modelVersionId,
      nextPurchaseAt: row.nextPurchaseAt?.toISOString() ?? null,
      p7: row.p7,
      p14: row.p14,
      p28: row.p28,
      pAlive: row.pAlive,
      expectedPurchases12m: row.expectedPurchases12m,
      clv12mMinor: Math.round(row.clv12mMinor),
      windowEnteredAt: row.windowEnteredAt?.toISOString() ?? null,
      computedAt: row.computedAt.toISOString(),
    };
  }
}

export class MemberPredictionPageResponseDto {
  @ApiProperty({ type: [MemberPredictionResponseDto] }) items!: MemberPredictionResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
