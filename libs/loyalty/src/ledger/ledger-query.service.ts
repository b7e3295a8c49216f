import { Inject, Injectable } from '@nestjs/common';
import type { Page } from '@app/common';
import { MembersService, decodePosition, keysetPage, pageSize } from '@app/identity';
import { LedgerRepository, type LiabilityRow } from './ledger.repository';
import { LedgerService } from './ledger.service';
import type { LedgerEntry, PointLot, PointsBalance } from './ledger.types';
import { LoyaltyProgramService } from './loyalty-program.service';
import { isExpired } from './lot-math';

export interface PointsSummary extends PointsBalance {
  /** The soonest expiry among open lots: its date and the points expiring then. */
  nextExpiry: { points: number; expiresAt: Date } | null;
}

export interface LiabilityBucket extends LiabilityRow {
  /** Estimated cost of the bucket's points (available + pending), in minor units. */
  estimatedCostMinor: number;
}

export interface LiabilityReport {
  currency: string;
  pointValueMicros: number;
  totals: { available: number; pending: number; debt: number; estimatedCostMinor: number };
  byExpiryMonth: LiabilityBucket[];
  byTier: LiabilityBucket[];
  asOf: Date;
}

/** Read side of the ledger for the HTTP endpoints (members' own and staff views). */
@Injectable()
export class LedgerQueryService {
  constructor(
    @Inject(LedgerRepository) private readonly repository: LedgerRepository,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(LoyaltyProgramService) private readonly programs: LoyaltyProgramService,
    @Inject(MembersService) private readonly members: MembersService,
  ) {}

  /** 404 (member_not_found) unless the member belongs to the brand. */
  async assertMember(brandId: string, memberId: string): Promise<void> {
    await this.members.getById(brandId, memberId);
  }

  async summary(brandId: string, memberId: string): Promise<PointsSummary> {
    const [balance, lots] = await Promise.all([
      this.ledger.balance(brandId, memberId),
      this.openLots(brandId, memberId),
    ]);
    const first = lots.find((l) => l.expiresAt !== null);
    const nextExpiry = first?.expiresAt
      ? {
          expiresAt: first.expiresAt,
          points: lots
            .filter((l) => l.expiresAt?.getTime() === first.expiresAt?.getTime())
            .reduce((sum, l) => sum + l.remaining, 0),
        }
      : null;
    return { ...balance, nextExpiry };
  }

  async history(
    brandId: string,
    memberId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<LedgerEntry>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(
      await this.repository.listEntries(brandId, memberId, { limit, after }),
      limit,
    );
  }

  /** Open lots (points left, not expired), soonest expiry first. */
  async openLots(brandId: string, memberId: string, now: Date = new Date()): Promise<PointLot[]> {
    const lots = await this.repository.openLots(brandId, memberId);
    return lots.filter((lot) => !isExpired(lot, now));
  }

  async liability(brandId: string, now: Date = new Date()): Promise<LiabilityReport> {
    const [program, byMonth, byTier, debt] = await Promise.all([
      this.programs.get(brandId),
      this.repository.liabilityByMonth(brandId, now),
      this.repository.liabilityByTier(brandId, now),
      this.repository.totalDebt(brandId),
    ]);
    const cost = (points: number) => Math.round((points * program.pointValueMicros) / 10_000);
    const withCost = (row: LiabilityRow): LiabilityBucket => ({
      ...row,
      estimatedCostMinor: cost(row.available + row.pending),
    });
    const available = byMonth.reduce((sum, r) => sum + r.available, 0);
    const pending = byMonth.reduce((sum, r) => sum + r.pending, 0);
    return {
      currency: program.currency,
      pointValueMicros: program.pointValueMicros,
      totals: { available, pending, debt, estimatedCostMinor: cost(available + pending) },
      byExpiryMonth: byMonth.map(withCost),
      byTier: byTier.map(withCost),
      asOf: now,
    };
  }
}
