import { Inject, Injectable } from '@nestjs/common';
import type { Executor } from '@app/db';
import { type Drop, DropsRepository } from '../drops/drops.repository';
import { ReservationsRepository } from '../reservations/reservations.repository';
import { type DropReport, buildReport } from './drop-report';
import { DropReportRepository } from './drop-report.repository';

/** Builds the after-drop report from Postgres (inside the transaction that ends the drop). */
@Injectable()
export class DropReportService {
  constructor(
    @Inject(DropsRepository) private readonly drops: DropsRepository,
    @Inject(ReservationsRepository) private readonly reservations: ReservationsRepository,
    @Inject(DropReportRepository) private readonly repository: DropReportRepository,
  ) {}

  async build(drop: Drop, now: Date, tx?: Executor): Promise<DropReport> {
    const skus = await this.drops.skus(drop.brandId, drop.id, tx);
    const reservations = await this.reservations.all(drop.brandId, drop.id, tx);
    const buyers = [
      ...new Set(reservations.filter((r) => r.status === 'confirmed').map((r) => r.memberId)),
    ];
    const tierOf = await this.repository.tierCodes(drop.brandId, buyers, tx);
    return buildReport({ drop, skus, reservations, tierOf }, now);
  }
}
