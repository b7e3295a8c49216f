import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DatabaseClient, type Executor } from '@app/db';
import { AuditLogRepository, MemberNotFoundError } from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import {
  DedupeKeyConflictError,
  EarnEntryNotFoundError,
  InsufficientPointsError,
  InvalidPointsError,
} from './ledger.errors';
import { LEDGER_TOPICS, memberMessage } from './ledger.events';
import { LedgerRepository, type NewLedgerEntry, type NewPointLot } from './ledger.repository';
import type {
  AdjustInput,
  AdjustResult,
  ClawbackInput,
  ClawbackResult,
  EarnInput,
  EarnResult,
  LedgerActor,
  LedgerEntry,
  LedgerKind,
  LedgerSource,
  LoyaltyProgram,
  MemberBalanceRow,
  PointLot,
  PointsBalance,
  SpendInput,
  SpendResult,
} from './ledger.types';
import {
  allocateFifo,
  classifyLots,
  computeExpiry,
  isHeld,
  planClawback,
  repayDebt,
} from './lot-math';
import { LoyaltyProgramService } from './loyalty-program.service';

const DAY_MS = 86_400_000;

/** One credit to a locked member: an earn, or a positive staff adjustment. */
interface CreditInput {
  kind: 'earn' | 'adjust';
  points: number;
  reason: string;
  source: LedgerSource;
  sourceId?: string;
  ruleId?: string;
  actor: LedgerActor;
  dedupeKey: string;
  earnedAt?: Date;
  availableAt?: Date;
  details?: Record<string, unknown>;
}
const MAX_KEY_LENGTH = 200;

/** A locked member inside a ledger transaction, with the running deltas of this operation. */
interface Locked {
  brandId: string;
  memberId: string;
  tx: Executor;
  row: MemberBalanceRow;
  now: Date;
}

/**
 * The points ledger. Every write: one transaction (the caller's when given), the member's
 * `member_balances` row locked (`INSERT … ON CONFLICT DO NOTHING` then `SELECT … FOR UPDATE`),
 * idempotent on `(brand, dedupe_key)` — a repeated key returns the original entry with
 * `duplicate: true` and writes nothing else.
 *
 * Totals kept in `member_balances` (checked by `LedgerInvariants`):
 * - `balance + pending − debt = Σ entries.amount` (debt is the part of a clawback no lot covered);
 * - `balance + pending = Σ remaining of lots not yet expired by the sweep`;
 * - `pending` holds the points of lots whose `available_at` was in the future at the member's last
 *   write; held points mature into `balance` at the member's next write and in the hourly sweep,
 *   so `pending ≥` the points still held. Reads (`balance()`) compute the split live and leave out
 *   points past their expiry that the sweep has not reached yet;
 * - `lifetime_earned = Σ earn entries`.
 */
@Injectable()
export class LedgerService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(LedgerRepository) private readonly repository: LedgerRepository,
    @Inject(LoyaltyProgramService) private readonly programs: LoyaltyProgramService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {}

  /** + points as a new lot; repays debt first; idempotent on `dedupeKey`. */
  async earn(
    brandId: string,
    memberId: string,
    input: EarnInput,
    tx?: Executor,
  ): Promise<EarnResult> {
    assertWrite(input.points, input.reason, input.dedupeKey);
    return this.locked(brandId, memberId, tx, async (m) => {
      const existing = await this.duplicateOf(m, input.dedupeKey);
      if (existing) {
        const lot = await this.repository.findLotByEarnEntry(brandId, existing.id, m.tx);
        return { entry: existing, lot, duplicate: true };
      }
      const { entry, lot } = await this.credit(m, {
        kind: 'earn',
        points: input.points,
        reason: input.reason,
        source: input.source,
        sourceId: input.sourceId,
        ruleId: input.ruleId,
        actor: input.actor,
        dedupeKey: input.dedupeKey,
        earnedAt: input.earnedAt,
        availableAt: input.availableAt,
        details: input.details,
      });
      return { entry, lot, duplicate: false };
    });
  }

  /**
   * earn() for a batch of members in one transaction (the group-commit path of order ingestion):
   * rows locked in member order, one duplicate check, one insert each for entries and lots, one
   * totals update — a constant number of round trips whatever the batch size. Same semantics per
   * credit as earn(), including idempotency on `dedupeKey`; `program` saves its lookup when the
   * caller has it. Returns, per request in order, the result and the member's totals after the
   * batch.
   */
  async earnMany(
    brandId: string,
    requests: { memberId: string; input: EarnInput }[],
    options: { tx?: Executor; program?: LoyaltyProgram; freshKeys?: boolean } = {},
  ): Promise<(EarnResult & { row: MemberBalanceRow })[]> {
    for (const r of requests) assertWrite(r.input.points, r.input.reason, r.input.dedupeKey);
    if (!requests.length) return [];
    return this.db.transaction(async (tx) => {
      const rows = await this.repository.lockMembers(
        brandId,
        requests.map((r) => r.memberId),
        tx,
      );
      // Keys the caller just minted (an order id Postgres generated in this transaction) cannot
      // be taken: skip the lookup. A collision would still fail the insert, never double-write.
      const taken = options.freshKeys
        ? []
        : await this.repository.findDedupeKeys(
            brandId,
            requests.map((r) => r.input.dedupeKey),
            tx,
          );
      // Retries are rare on this path: full rows only for the keys already taken.
      const existing = new Map<string, LedgerEntry>();
      for (const t of taken) {
        const entry = await this.repository.findEntryByDedupeKey(brandId, t.dedupeKey, tx);
        if (entry) existing.set(t.dedupeKey, entry);
      }
      const fresh: { memberId: string; input: CreditInput }[] = [];
      const freshKeys = new Set<string>();
      for (const { memberId, input } of requests) {
        if (!rows.has(memberId)) throw new MemberNotFoundError();
        const prior = existing.get(input.dedupeKey);
        if (prior && prior.memberId !== memberId) throw new DedupeKeyConflictError(input.dedupeKey);
        if (prior || freshKeys.has(input.dedupeKey)) continue;
        freshKeys.add(input.dedupeKey);
        fresh.push({ memberId, input: { ...input, kind: 'earn' } });
      }
      const program = options.program ?? (await this.programs.get(brandId, tx));
      const written = await this.creditLocked(brandId, rows, fresh, program, new Date(), tx);
      const byKey = new Map(written.map((w) => [w.entry.dedupeKey, w]));
      const duplicates = requests.filter((r) => existing.has(r.input.dedupeKey));
      const priorLots = new Map(
        await Promise.all(
          duplicates.map(
            async (r) =>
              [
                r.input.dedupeKey,
                await this.repository.findLotByEarnEntry(
                  brandId,
                  (existing.get(r.input.dedupeKey) as LedgerEntry).id,
                  tx,
                ),
              ] as const,
          ),
        ),
      );
      const seen = new Set<string>();
      return requests.map(({ memberId, input }) => {
        const row = rows.get(memberId) as MemberBalanceRow;
        const prior = existing.get(input.dedupeKey);
        if (prior)
          return {
            entry: prior,
            lot: priorLots.get(input.dedupeKey) ?? null,
            duplicate: true,
            row,
          };
        const w = byKey.get(input.dedupeKey) as { entry: LedgerEntry; lot: PointLot };
        const duplicate = seen.has(input.dedupeKey);
        seen.add(input.dedupeKey);
        return { entry: w.entry, lot: w.lot, duplicate, row };
      });
    }, options.tx);
  }

  /**
   * balance() for several members: live lot totals in one statement, the stored rows in another
   * unless the caller holds them already (`rows`, e.g. from earnMany in the same transaction).
   */
  async balances(
    brandId: string,
    memberIds: string[],
    tx?: Executor,
    rows?: Map<string, MemberBalanceRow>,
  ): Promise<Map<string, PointsBalance>> {
    const ids = [...new Set(memberIds)];
    const known = rows && ids.every((id) => rows.has(id)) ? rows : undefined;
    const [stored, live] = await Promise.all([
      known ?? this.repository.getBalances(brandId, ids, tx),
      this.repository.liveLotTotalsMany(brandId, ids, new Date(), tx),
    ]);
    return new Map(
      ids.map((id) => {
        const row = stored.get(id);
        if (!row) return [id, { balance: 0, pending: 0, debt: 0, lifetimeEarned: 0 }];
        const l = live.get(id) ?? { held: 0, overdue: 0 };
        return [
          id,
          {
            balance: Math.max(0, row.balance + row.pending - l.held - l.overdue),
            pending: l.held,
            debt: row.debt,
            lifetimeEarned: row.lifetimeEarned,
          },
        ];
      }),
    );
  }

  /** − points FIFO by expiry over spendable lots; InsufficientPointsError (409) when short. */
  async spend(
    brandId: string,
    memberId: string,
    input: SpendInput,
    tx?: Executor,
  ): Promise<SpendResult> {
    assertWrite(input.points, input.reason, input.dedupeKey);
    return this.locked(brandId, memberId, tx, async (m) => {
      const existing = await this.duplicateOf(m, input.dedupeKey);
      if (existing) return { entry: existing, duplicate: true };
      const entry = await this.debit(m, {
        kind: 'redeem',
        points: input.points,
        reason: input.reason,
        source: input.source,
        sourceId: input.sourceId,
        actor: input.actor,
        dedupeKey: input.dedupeKey,
        details: input.details,
      });
      return { entry, duplicate: false };
    });
  }

  /**
   * Refund clawback of up to `points` earned by `earnEntryId` (capped at what that earn has not
   * already had clawed back): that lot first, then the member's other lots (spendable FIFO, then
   * held), never below zero; the rest becomes debt (policy `debt`) or is forgiven (`cap`).
   */
  async clawback(
    brandId: string,
    memberId: string,
    input: ClawbackInput,
    tx?: Executor,
  ): Promise<ClawbackResult> {
    assertWrite(input.points, input.reason, input.dedupeKey, true);
    return this.locked(brandId, memberId, tx, async (m) => {
      const existing = await this.duplicateOf(m, input.dedupeKey);
      if (existing) {
        const d = existing.details as { reversed?: number; debtAdded?: number };
        return {
          entry: existing,
          reversed: d.reversed ?? -existing.amount,
          debtAdded: d.debtAdded ?? 0,
          duplicate: true,
        };
      }
      const earnEntry = await this.repository.findEntry(brandId, memberId, input.earnEntryId, m.tx);
      if (!earnEntry || earnEntry.amount <= 0) throw new EarnEntryNotFoundError();
      const already = await this.repository.clawedBack(brandId, memberId, earnEntry.id, m.tx);
      const points = Math.min(input.points, Math.max(0, earnEntry.amount - already));
      const program = await this.programs.get(brandId, m.tx);
      const lots = await this.settle(m);
      const { held, spendable } = classifyLots(lots, m.now);
      const source = lots.find((l) => l.earnEntryId === earnEntry.id) ?? null;
      const plan = planClawback(source, [...spendable, ...held], points, program.clawbackPolicy);
      const amount = plan.taken + plan.debtAdded;
      if (amount === 0) return { entry: null, reversed: 0, debtAdded: 0, duplicate: false };
      const entry = await this.insertEntry(m, {
        kind: 'reverse',
        amount: -amount,
        reason: input.reason,
        source: input.source,
        sourceId: input.sourceId ?? null,
        ruleId: earnEntry.ruleId,
        actor: input.actor,
        dedupeKey: input.dedupeKey,
        details: {
          earnEntryId: earnEntry.id,
          requested: input.points,
          reversed: plan.taken,
          debtAdded: plan.debtAdded,
          forgiven: plan.forgiven,
        },
      });
      await this.repository.applyAllocations(brandId, entry.id, plan.allocations, m.tx);
      const byId = new Map(lots.map((l) => [l.id, l]));
      let fromPending = 0;
      for (const a of plan.allocations) {
        const lot = byId.get(a.lotId);
        if (lot && isHeld(lot, m.now)) fromPending += a.points;
      }
      m.row = await this.repository.updateBalance(
        brandId,
        memberId,
        { balance: -(plan.taken - fromPending), pending: -fromPending, debt: plan.debtAdded },
        m.tx,
      );
      return { entry, reversed: plan.taken, debtAdded: plan.debtAdded, duplicate: false };
    });
  }

  /** Staff ± adjustment with a reason, audited (`points.adjusted`); a debit never goes below 0. */
  async adjust(
    brandId: string,
    memberId: string,
    input: AdjustInput,
    tx?: Executor,
  ): Promise<AdjustResult> {
    if (!Number.isSafeInteger(input.points) || input.points === 0)
      throw new InvalidPointsError('points', 'must be a non-zero integer');
    assertWrite(Math.abs(input.points), input.reason, input.dedupeKey);
    const actor: LedgerActor = { type: input.actor.type, id: input.actor.id };
    return this.locked(brandId, memberId, tx, async (m) => {
      const existing = await this.duplicateOf(m, input.dedupeKey);
      if (existing) {
        // A reused key must mean the same adjustment.
        if (existing.kind !== 'adjust' || existing.amount !== input.points)
          throw new DedupeKeyConflictError(input.dedupeKey);
        const lot = await this.repository.findLotByEarnEntry(brandId, existing.id, m.tx);
        return { entry: existing, lot, duplicate: true };
      }
      let entry: LedgerEntry;
      let lot: PointLot | null = null;
      const common = {
        kind: 'adjust' as const,
        points: Math.abs(input.points),
        reason: input.reason,
        source: 'staff' as const,
        actor,
        dedupeKey: input.dedupeKey,
        details: input.details,
      };
      if (input.points > 0) ({ entry, lot } = await this.credit(m, common));
      else entry = await this.debit(m, common);
      await this.audit.insert(
        brandId,
        {
          actor: input.actor,
          action: 'points.adjusted',
          target: { type: 'member', id: memberId },
          details: { entryId: entry.id, points: input.points, reason: input.reason },
        },
        m.tx,
      );
      await this.outbox.publish(
        m.tx,
        brandId,
        memberMessage(LEDGER_TOPICS.adjusted, memberId, {
          memberId,
          entryId: entry.id,
          points: input.points,
          reason: input.reason,
          balance: m.row.balance,
        }),
      );
      return { entry, lot, duplicate: false };
    });
  }

  /**
   * The member's totals as of now, computed live from the stored row and the open lots: held
   * points that matured count in `balance`, and points past their expiry that the sweep has not
   * expired yet are left out (they can no longer be spent).
   */
  async balance(brandId: string, memberId: string, tx?: Executor): Promise<PointsBalance> {
    return (await this.balances(brandId, [memberId], tx)).get(memberId) as PointsBalance;
  }

  // ---------------------------------------------------------------------------------------------

  /** Transaction + member lock; MemberNotFoundError when the member is not in the brand. */
  private locked<T>(
    brandId: string,
    memberId: string,
    tx: Executor | undefined,
    work: (m: Locked) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async (trx) => {
      const row = await this.repository.lockMember(brandId, memberId, trx);
      if (!row) throw new MemberNotFoundError();
      return work({ brandId, memberId, tx: trx, row, now: new Date() });
    }, tx);
  }

  private async duplicateOf(m: Locked, dedupeKey: string): Promise<LedgerEntry | null> {
    const existing = await this.repository.findEntryByDedupeKey(m.brandId, dedupeKey, m.tx);
    if (existing && existing.memberId !== m.memberId) throw new DedupeKeyConflictError(dedupeKey);
    return existing;
  }

  private async insertEntry(
    m: Locked,
    values: {
      kind: LedgerKind;
      amount: number;
      reason: string;
      source: LedgerSource;
      sourceId: string | null;
      ruleId: string | null;
      actor: LedgerActor;
      dedupeKey: string;
      details: Record<string, unknown>;
    },
  ): Promise<LedgerEntry> {
    const entry = await this.repository.insertEntry(
      m.brandId,
      {
        memberId: m.memberId,
        kind: values.kind,
        amount: values.amount,
        reason: values.reason,
        source: values.source,
        sourceId: values.sourceId,
        ruleId: values.ruleId,
        actorType: values.actor.type,
        actorId: values.actor.id ?? null,
        dedupeKey: values.dedupeKey,
        details: values.details,
      },
      m.tx,
    );
    // Same key inserted by another member's transaction after our check.
    if (!entry) throw new DedupeKeyConflictError(values.dedupeKey);
    return entry;
  }

  /**
   * Brings the locked member up to date before a debit: moves matured pending points into
   * `balance` and expires lots past their expiry (same entries the sweep would write). Returns
   * the member's remaining open lots (locked).
   */
  private async settle(m: Locked): Promise<PointLot[]> {
    const lots = await this.repository.openLots(m.brandId, m.memberId, m.tx, { forUpdate: true });
    const { overdue } = classifyLots(lots, m.now);
    const heldNow = lots.reduce((sum, l) => sum + (isHeld(l, m.now) ? l.remaining : 0), 0);
    const matured = m.row.pending - heldNow;
    if (matured !== 0) {
      m.row = await this.repository.updateBalance(
        m.brandId,
        m.memberId,
        { balance: matured, pending: -matured },
        m.tx,
      );
    }
    if (overdue.length) await expireLocked(this.repository, this.outbox, m, overdue);
    const gone = new Set(overdue.map((l) => l.id));
    return lots.filter((l) => !gone.has(l.id));
  }

  /** Writes a credit entry and its lot (repaying debt first) and updates the totals. */
  private async credit(
    m: Locked,
    input: CreditInput,
  ): Promise<{ entry: LedgerEntry; lot: PointLot }> {
    const program = await this.programs.get(m.brandId, m.tx);
    const rows = new Map([[m.memberId, m.row]]);
    const [written] = await this.creditLocked(
      m.brandId,
      rows,
      [{ memberId: m.memberId, input }],
      program,
      m.now,
      m.tx,
    );
    m.row = rows.get(m.memberId) ?? m.row;
    return written;
  }

  /**
   * Credits to members whose balance rows the caller has locked (`rows`, updated in place):
   * matures held points that came due (once per member), then plans each credit in order — lot
   * expiry, pending window, debt repaid first — and writes all entries, all lots and all totals
   * in three statements whatever the number of credits.
   */
  private async creditLocked(
    brandId: string,
    rows: Map<string, MemberBalanceRow>,
    credits: { memberId: string; input: CreditInput }[],
    program: LoyaltyProgram,
    now: Date,
    tx: Executor,
  ): Promise<{ entry: LedgerEntry; lot: PointLot }[]> {
    const withPending = [...rows.values()].filter((r) => r.pending > 0).map((r) => r.memberId);
    const held = await this.repository.heldPointsMany(brandId, withPending, now, tx);
    for (const memberId of withPending) {
      const row = rows.get(memberId) as MemberBalanceRow;
      const matured = row.pending - (held.get(memberId) ?? 0);
      if (matured !== 0)
        rows.set(memberId, {
          ...row,
          balance: row.balance + matured,
          pending: row.pending - matured,
        });
    }
    const entries: (NewLedgerEntry & { id: string })[] = [];
    const lots: NewPointLot[] = [];
    for (const { memberId, input } of credits) {
      const row = rows.get(memberId);
      if (!row) throw new MemberNotFoundError();
      const earnedAt = input.earnedAt ?? now;
      const availableAt =
        input.availableAt ??
        (input.source === 'order' && program.pendingDays > 0
          ? new Date(earnedAt.getTime() + program.pendingDays * DAY_MS)
          : earnedAt);
      const { repaid, lotRemaining } = repayDebt(input.points, row.debt);
      const entryId = randomUUID();
      entries.push({
        id: entryId,
        memberId,
        kind: input.kind,
        amount: input.points,
        reason: input.reason,
        source: input.source,
        sourceId: input.sourceId ?? null,
        ruleId: input.ruleId ?? null,
        actorType: input.actor.type,
        actorId: input.actor.id ?? null,
        dedupeKey: input.dedupeKey,
        details: repaid ? { ...input.details, debtRepaid: repaid } : (input.details ?? {}),
      });
      lots.push({
        memberId,
        earnEntryId: entryId,
        points: input.points,
        remaining: lotRemaining,
        earnedAt,
        availableAt,
        expiresAt: computeExpiry(earnedAt, program.expiryMode, program.expiryMonths),
      });
      const isHeldNow = availableAt.getTime() > now.getTime();
      rows.set(memberId, {
        ...row,
        balance: row.balance + (isHeldNow ? 0 : lotRemaining),
        pending: row.pending + (isHeldNow ? lotRemaining : 0),
        debt: row.debt - repaid,
        lifetimeEarned: row.lifetimeEarned + (input.kind === 'earn' ? input.points : 0),
      });
    }
    const inserted = await this.repository.insertEntries(brandId, entries, tx);
    if (inserted.length !== entries.length) {
      // A key inserted by another member's transaction after our duplicate check.
      const taken = new Set(inserted.map((e) => e.dedupeKey));
      const lost = entries.find((e) => !taken.has(e.dedupeKey));
      throw new DedupeKeyConflictError(lost?.dedupeKey ?? '');
    }
    const insertedLots = await this.repository.insertLots(brandId, lots, tx);
    const touched = [...new Set(credits.map((c) => c.memberId))];
    await this.repository.setBalances(
      brandId,
      touched.map((id) => rows.get(id) as MemberBalanceRow),
      tx,
    );
    const entryById = new Map(inserted.map((e) => [e.id, e]));
    const lotByEntry = new Map(insertedLots.map((l) => [l.earnEntryId, l]));
    return entries.map((e) => ({
      entry: entryById.get(e.id) as LedgerEntry,
      lot: lotByEntry.get(e.id) as PointLot,
    }));
  }

  /** Writes a debit entry drawing spendable lots FIFO; InsufficientPointsError when short. */
  private async debit(
    m: Locked,
    input: {
      kind: 'redeem' | 'adjust';
      points: number;
      reason: string;
      source: LedgerSource;
      sourceId?: string;
      actor: LedgerActor;
      dedupeKey: string;
      details?: Record<string, unknown>;
    },
  ): Promise<LedgerEntry> {
    const lots = await this.settle(m);
    const { spendable } = classifyLots(lots, m.now);
    const plan = allocateFifo(spendable, input.points);
    if (plan.shortfall > 0) throw new InsufficientPointsError(input.points, plan.taken);
    const entry = await this.insertEntry(m, {
      kind: input.kind,
      amount: -input.points,
      reason: input.reason,
      source: input.source,
      sourceId: input.sourceId ?? null,
      ruleId: null,
      actor: input.actor,
      dedupeKey: input.dedupeKey,
      details: input.details ?? {},
    });
    await this.repository.applyAllocations(m.brandId, entry.id, plan.allocations, m.tx);
    m.row = await this.repository.updateBalance(
      m.brandId,
      m.memberId,
      { balance: -input.points },
      m.tx,
    );
    return entry;
  }
}

/**
 * Expires `lots` of a locked member: one `expire` entry per lot (dedupe `expire:<lotId>`),
 * remaining → 0, expired_at set, totals updated, one `points.expired` event for the member.
 * Shared by the sweep and by debits that find overdue lots.
 */
export async function expireLocked(
  repository: LedgerRepository,
  outbox: OutboxPublisher,
  m: { brandId: string; memberId: string; tx: Executor; row: MemberBalanceRow; now: Date },
  lots: PointLot[],
): Promise<number> {
  let fromBalance = 0;
  let fromPending = 0;
  const expired: { lotId: string; points: number; expiresAt: string | null }[] = [];
  for (const lot of lots) {
    if (lot.remaining <= 0 || lot.expiredAt) continue;
    const entry = await repository.insertEntry(
      m.brandId,
      {
        memberId: m.memberId,
        kind: 'expire',
        amount: -lot.remaining,
        reason: 'points_expired',
        source: 'expiry',
        sourceId: lot.id,
        ruleId: null,
        actorType: 'system',
        actorId: null,
        dedupeKey: `expire:${lot.id}`,
        details: { lotId: lot.id, expiresAt: lot.expiresAt?.toISOString() ?? null },
      },
      m.tx,
    );
    if (!entry) continue; // already expired by an earlier run (cannot happen under the lock)
    await repository.applyAllocations(
      m.brandId,
      entry.id,
      [{ lotId: lot.id, points: lot.remaining }],
      m.tx,
    );
    if (isHeld(lot, m.now)) fromPending += lot.remaining;
    else fromBalance += lot.remaining;
    expired.push({
      lotId: lot.id,
      points: lot.remaining,
      expiresAt: lot.expiresAt?.toISOString() ?? null,
    });
  }
  await repository.markLotsExpired(
    m.brandId,
    lots.map((l) => l.id),
    m.now,
    m.tx,
  );
  const total = fromBalance + fromPending;
  if (!total) return 0;
  m.row = await repository.updateBalance(
    m.brandId,
    m.memberId,
    { balance: -fromBalance, pending: -fromPending },
    m.tx,
  );
  await outbox.publish(
    m.tx,
    m.brandId,
    memberMessage(LEDGER_TOPICS.expired, m.memberId, {
      memberId: m.memberId,
      points: total,
      lots: expired,
      balance: m.row.balance,
    }),
  );
  return total;
}

function assertWrite(points: number, reason: string, dedupeKey: string, allowZero = false): void {
  if (!Number.isSafeInteger(points) || points < 0 || (!allowZero && points === 0))
    throw new InvalidPointsError();
  if (typeof reason !== 'string' || !reason.trim())
    throw new InvalidPointsError('reason', 'is required');
  if (typeof dedupeKey !== 'string' || !dedupeKey || dedupeKey.length > MAX_KEY_LENGTH)
    throw new InvalidPointsError('dedupeKey', `must be 1-${MAX_KEY_LENGTH} characters`);
}
