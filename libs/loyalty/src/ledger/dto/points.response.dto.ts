import { ApiProperty } from '@nestjs/swagger';
import type { PointsSummary } from '../ledger-query.service';
import type { LedgerEntry, PointLot } from '../ledger.types';

export class NextExpiryResponseDto {
  @ApiProperty({ description: 'Points expiring at `expiresAt`' }) points!: number;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

/** A member's points position. */
export class PointsSummaryResponseDto {
  @ApiProperty({ description: 'Spendable now' }) balance!: number;
  @ApiProperty({ description: 'Held until the return window closes; not spendable yet' })
  pending!: number;
  @ApiProperty({ description: 'Clawed-back points not covered by any lot; repaid by next earns' })
  debt!: number;
  @ApiProperty() lifetimeEarned!: number;
  @ApiProperty({ type: NextExpiryResponseDto, nullable: true })
  nextExpiry!: NextExpiryResponseDto | null;

  static from(summary: PointsSummary): PointsSummaryResponseDto {
    return {
      balance: summary.balance,
      pending: summary.pending,
      debt: summary.debt,
      lifetimeEarned: summary.lifetimeEarned,
      nextExpiry: summary.nextExpiry
        ? {
            points: summary.nextExpiry.points,
            expiresAt: summary.nextExpiry.expiresAt.toISOString(),
          }
        : null,
    };
  }
}

const KINDS = ['earn', 'redeem', 'expire', 'adjust', 'reverse'];
const SOURCES = ['order', 'refund', 'rule', 'redemption', 'staff', 'expiry', 'system'];

/** One ledger entry as the member sees it. */
export class LedgerEntryResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: KINDS }) kind!: string;
  @ApiProperty({ description: 'Signed points: + credit, − debit' }) amount!: number;
  @ApiProperty({ example: 'purchase' }) reason!: string;
  @ApiProperty({ enum: SOURCES }) source!: string;
  @ApiProperty({ type: String, nullable: true }) sourceId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Rule that fired' })
  ruleId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(entry: LedgerEntry): LedgerEntryResponseDto {
    return {
      id: entry.id,
      kind: entry.kind,
      amount: entry.amount,
      reason: entry.reason,
      source: entry.source,
      sourceId: entry.sourceId,
      ruleId: entry.ruleId,
      createdAt: entry.createdAt.toISOString(),
    };
  }
}

/** Staff view of an entry: also who did it and the details recorded. */
export class StaffLedgerEntryResponseDto extends LedgerEntryResponseDto {
  @ApiProperty({ example: 'staff' }) actorType!: string;
  @ApiProperty({ type: String, nullable: true }) actorId!: string | null;
  @ApiProperty({ type: Object }) details!: Record<string, unknown>;

  static override from(entry: LedgerEntry): StaffLedgerEntryResponseDto {
    return {
      ...LedgerEntryResponseDto.from(entry),
      actorType: entry.actorType,
      actorId: entry.actorId,
      details: entry.details,
    };
  }
}

export class LedgerPageResponseDto {
  @ApiProperty({ type: [LedgerEntryResponseDto] }) items!: LedgerEntryResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}

export class StaffLedgerPageResponseDto {
  @ApiProperty({ type: [StaffLedgerEntryResponseDto] }) items!: StaffLedgerEntryResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}

/** An open lot: points left and when they expire. */
export class PointLotResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Points the lot was earned with' }) points!: number;
  @ApiProperty({ description: 'Points left' }) remaining!: number;
  @ApiProperty({ format: 'date-time' }) earnedAt!: string;
  @ApiProperty({ format: 'date-time' }) availableAt!: string;
  @ApiProperty({ description: 'Not spendable yet (available_at in the future)' }) pending!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'null: never' })
  expiresAt!: string | null;

  static from(lot: PointLot, now: Date = new Date()): PointLotResponseDto {
    return {
      id: lot.id,
      points: lot.points,
      remaining: lot.remaining,
      earnedAt: lot.earnedAt.toISOString(),
      availableAt: lot.availableAt.toISOString(),
      pending: lot.availableAt.getTime() > now.getTime(),
      expiresAt: lot.expiresAt?.toISOString() ?? null,
    };
  }
}

export class PointLotListResponseDto {
  @ApiProperty({ type: [PointLotResponseDto] }) items!: PointLotResponseDto[];
}

export class AdjustmentResponseDto {
  @ApiProperty({ type: StaffLedgerEntryResponseDto }) entry!: StaffLedgerEntryResponseDto;
  @ApiProperty({ type: PointsSummaryResponseDto }) points!: PointsSummaryResponseDto;
}
