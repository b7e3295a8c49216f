import { Inject, Injectable, Logger } from '@nestjs/common';
import { DatabaseClient, type Transaction } from '@app/db';
import { type DateRange, dayStart, nextMonth, utcDay } from './analytics-maths';
import { AnalyticsRollupRepository, type MemberDayRow } from './analytics-rollup.repository';
import { MONTH_PREFIX, MemberSet, unionPeriods } from './member-bitmap';

/** Days before the boundary recomputed on every run, whatever changed (late events, refunds). */
export const ROLLUP_RECOMPUTE_DAYS = 3;
/** Days built per statement batch: bounds the memory of a backfill. */
const CHUNK_DAYS = 31;

export interface RollupOutcome {
  throughDay: string;
  days: number;
  rebuilt: boolean;
}

/**
 * Maintains the dashboard's rollups of a brand (ADR 0021): every complete UTC day before today is
 * rolled up once, then each run recomputes the last ROLLUP_RECOMPUTE_DAYS days and every older day
 * a late change touched (orders ingested late, refunds, reviews), in one repeatable-read
 * transaction: a crashed or repeated run leaves the previous state or the same state.
 */
@Injectable()
export class AnalyticsRollupService {
  private readonly logger = new Logger(AnalyticsRollupService.name);

  constructor(
    @Inject(DatabaseClient) private readonly client: DatabaseClient,
    @Inject(AnalyticsRollupRepository) private readonly repo: AnalyticsRollupRepository,
  ) {}

  brandIds(): Promise<string[]> {
    return this.repo.brandIds();
  }

  async refreshBrand(
    brandId: string,
    options: { now?: Date; rebuild?: boolean } = {},
  ): Promise<RollupOutcome> {
    const throughDay = utcDay(options.now ?? new Date());
    const boundary = dayStart(throughDay);
    return this.client.db.transaction(
      async (tx) => {
        await this.repo.lock(brandId, tx);
        let state = await this.repo.state(brandId, tx);
        // A boundary moving back (a clock reset) would leave rolled-up days past it: start over.
        if (options.rebuild || (state && state.throughDay > throughDay)) {
          await this.repo.clear(brandId, tx);
          state = null;
        }
        await this.repo.numberMembers(brandId, tx);
        let days: string[];
        if (!state) {
          const first = await this.repo.firstActivityDay(brandId, tx);
          days = first && first < throughDay ? dayList(first, throughDay) : [];
        } else {
          const recent = utcDay(dayStart(throughDay, -ROLLUP_RECOMPUTE_DAYS));
          const start = state.throughDay < recent ? state.throughDay : recent;
          const late = await this.repo.dirtyDays(brandId, state.watermark, boundary, tx);
          days = [...new Set([...late, ...dayList(start, throughDay)])].sort();
        }
        const ranges = toRanges(days);
        for (const range of ranges) await this.rebuildRange(brandId, range, tx);
        // Whole months touched get their month bitmaps again (a month only once it is complete).
        const months = [...new Set(days.map((day) => `${day.slice(0, 7)}-01`))];
        for (const month of months)
          if (nextMonth(month) <= throughDay) await this.rebuildMonth(brandId, month, tx);
        if (!state) await this.repo.refreshMemberFirsts(brandId, boundary, null, tx);
        else
          for (const range of ranges)
            await this.repo.refreshMemberFirsts(brandId, boundary, range, tx);
        await this.repo.saveState(brandId, throughDay, tx);
        if (!state) this.logger.log(`analytics rollups of ${brandId} built: ${days.length} days`);
        return { throughDay, days: days.length, rebuilt: !state };
      },
      { isolationLevel: 'repeatable read' },
    );
  }

  private async rebuildRange(brandId: string, range: DateRange, tx: Transaction): Promise<void> {
    await this.repo.rebuildDaily(brandId, range, tx);
    const sets = await this.repo.memberDaySets(brandId, range, tx);
    const rows: MemberDayRow[] = sets.map((set) => ({
      day: set.day,
      kind: set.kind,
      bits: MemberSet.encode(set.idxs),
    }));
    await this.repo.replaceMemberDays(brandId, range, rows, tx);
  }

  /** A month's bitmaps: the union of its days', and members with ≥ 2 orders in the month. */
  private async rebuildMonth(brandId: string, month: string, tx: Transaction): Promise<void> {
    const days = await this.repo.memberDays(brandId, month, nextMonth(month), null, tx);
    const { customers, active, posters } = unionPeriods(days);
    const rows: MemberDayRow[] = [];
    for (const [kind, set] of [
      ['customer', customers.customers],
      ['repeat', customers.repeaters],
      ['active', active],
      ['poster', posters],
    ] as const)
      if (set.size > 0)
        rows.push({ day: month, kind: `${MONTH_PREFIX}${kind}`, bits: set.toBuffer() });
    await this.repo.replaceMonth(brandId, month, rows, tx);
  }
}

/** The days from `from` (inclusive) to `to` (exclusive). */
function dayList(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day < to; day = utcDay(dayStart(day, 1))) days.push(day);
  return days;
}

/** Sorted days as consecutive day-aligned ranges of at most CHUNK_DAYS days. */
function toRanges(days: string[]): DateRange[] {
  const ranges: DateRange[] = [];
  let current: { first: string; last: string; n: number } | null = null;
  for (const day of days) {
    if (current && current.n < CHUNK_DAYS && utcDay(dayStart(current.last, 1)) === day) {
      current.last = day;
      current.n += 1;
      continue;
    }
    if (current) ranges.push({ from: dayStart(current.first), to: dayStart(current.last, 1) });
    current = { first: day, last: day, n: 1 };
  }
  if (current) ranges.push({ from: dayStart(current.first), to: dayStart(current.last, 1) });
  return ranges;
}
