import { Inject, Injectable, Logger } from '@nestjs/common';
import { DatabaseClient } from '@app/db';
import { OutboxPublisher } from '@app/outbox';
import { LEDGER_TOPICS, memberMessage } from './ledger.events';
import { LedgerRepository } from './ledger.repository';
import { expireLocked } from './ledger.service';
import { isExpired } from './lot-math';

/** Job names on the `points-expiry` bull queue (QUEUES.pointsExpiry). */
export const POINTS_EXPIRY_JOBS = { sweep: 'sweep', warn: 'warn' } as const;

export interface SweepOptions {
  /** Expire what is due at this instant (default now). */
  now?: Date;
  /** Members claimed per batch. */
  batchSize?: number;
  /** Stop after this many members (tests simulate a crash mid-way with it). */
  maxMembers?: number;
}

export interface SweepResult {
  members: number;
  lots: number;
  points: number;
  /** Members skipped because another transaction held their lock (picked up next run). */
  skipped: number;
}

const DAY_MS = 86_400_000;

/**
 * Expiry sweep and expiring-soon warnings (run by the worker's `points-expiry` queue).
 *
 * Sweep: finds members with lots due (`expires_at <= now`, remaining > 0, not expired), and per
 * member, in its own transaction under the member's lock (`FOR UPDATE SKIP LOCKED`, so parallel
 * workers split the work and a busy member is retried by the next run), writes one `expire`
 * entry per lot (dedupe `expire:<lotId>`), sets remaining 0 and expired_at, updates the totals
 * and publishes `points.expired`. Each member commits on its own: a sweep killed mid-way leaves
 * finished members finished and the next run does the rest; nothing is expired twice.
 */
@Injectable()
export class PointsExpiryService {
  private readonly logger = new Logger(PointsExpiryService.name);

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(LedgerRepository) private readonly repository: LedgerRepository,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  async sweep(options: SweepOptions = {}): Promise<SweepResult> {
    const now = options.now ?? new Date();
    const batchSize = options.batchSize ?? 200;
    const maxMembers = options.maxMembers ?? Number.POSITIVE_INFINITY;
    const result: SweepResult = { members: 0, lots: 0, points: 0, skipped: 0 };
    const skipped = new Set<string>();
    for (;;) {
      const candidates = (
        await this.repository.membersWithOverdueLots(now, batchSize + skipped.size)
      )
        .filter((c) => !skipped.has(`${c.brandId}:${c.memberId}`))
        .slice(0, batchSize);
      if (!candidates.length) break;
      for (const candidate of candidates) {
        if (result.members >= maxMembers) return result;
        const done = await this.expireMember(candidate.brandId, candidate.memberId, now);
        if (done === null) {
          skipped.add(`${candidate.brandId}:${candidate.memberId}`);
          result.skipped += 1;
          continue;
        }
        result.members += 1;
        result.lots += done.lots;
        result.points += done.points;
      }
    }
    if (result.members) this.logger.log(`expired ${result.points} points in ${result.lots} lots`);
    return result;
  }

  /** Expires one member's due lots; null when the member is locked by someone else. */
  async expireMember(
    brandId: string,
    memberId: string,
    now: Date = new Date(),
  ): Promise<{ lots: number; points: number } | null> {
    return this.db.transaction(async (tx) => {
      const row = await this.repository.lockMember(brandId, memberId, tx, { skipLocked: true });
      if (!row) return null;
      const lots = (
        await this.repository.openLots(brandId, memberId, tx, { forUpdate: true })
      ).filter((lot) => isExpired(lot, now));
      if (!lots.length) return { lots: 0, points: 0 };
      const m = { brandId, memberId, tx, row, now };
      // Held points that matured are moved first so the expiry takes them from the right total.
      const held = await this.repository.heldPoints(brandId, memberId, now, tx);
      if (held !== row.pending) {
        m.row = await this.repository.updateBalance(
          brandId,
          memberId,
          { balance: row.pending - held, pending: held - row.pending },
          tx,
        );
      }
      const points = await expireLocked(this.repository, this.outbox, m, lots);
      return { lots: lots.length, points };
    });
  }

  /**
   * Expiring-soon warnings: per member, marks the unwarned lots expiring within the programme's
   * `expiryWarningDays` as warned and publishes one `points.expiring` event aggregating them, under
   * the member's lock (SKIP LOCKED). `UPDATE … WHERE warned_at IS NULL` makes it idempotent.
   */
  async warn(options: { now?: Date; batchSize?: number } = {}): Promise<{ members: number }> {
    const now = options.now ?? new Date();
    const batchSize = options.batchSize ?? 200;
    let members = 0;
    for (;;) {
      const candidates = await this.repository.membersToWarn(now, batchSize);
      if (!candidates.length) break;
      let progressed = false;
      for (const c of candidates) {
        const until = new Date(now.getTime() + c.warningDays * DAY_MS);
        const warned = await this.db.transaction(async (tx) => {
          // Lots are only written under their member's lock (no lock-order deadlock with debits);
          // a busy member is warned by the next run.
          const row = await this.repository.lockMember(c.brandId, c.memberId, tx, {
            skipLocked: true,
          });
          if (!row) return false;
          const lots = await this.repository.markWarned(c.brandId, c.memberId, now, until, tx);
          if (!lots.length) return false;
          const sorted = [...lots].sort(
            (a, b) => (a.expiresAt?.getTime() ?? 0) - (b.expiresAt?.getTime() ?? 0),
          );
          await this.outbox.publish(
            tx,
            c.brandId,
            memberMessage(LEDGER_TOPICS.expiring, c.memberId, {
              memberId: c.memberId,
              points: lots.reduce((sum, l) => sum + l.remaining, 0),
              earliestExpiresAt: sorted[0].expiresAt?.toISOString() ?? null,
              lots: sorted.map((l) => ({
                lotId: l.id,
                remaining: l.remaining,
                expiresAt: l.expiresAt?.toISOString() ?? null,
              })),
            }),
          );
          return true;
        });
        if (warned) {
          members += 1;
          progressed = true;
        }
      }
      if (!progressed) break;
    }
    return { members };
  }
}
