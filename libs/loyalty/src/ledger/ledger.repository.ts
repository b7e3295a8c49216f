import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, getTableColumns, gt, inArray, isNull, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  statement,
  ledgerEntries,
  loyaltyPrograms,
  lotAllocations,
  memberBalances,
  pointLots,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';
import type { Allocation } from './lot-math';
import type { LedgerEntry, LoyaltyProgram, MemberBalanceRow, PointLot } from './ledger.types';

export type NewLedgerEntry = Omit<
  typeof ledgerEntries.$inferInsert,
  'brandId' | 'id' | 'createdAt'
>;
export type NewPointLot = Omit<typeof pointLots.$inferInsert, 'brandId' | 'id'>;
export type ProgramChanges = Partial<
  Omit<typeof loyaltyPrograms.$inferInsert, 'brandId' | 'createdAt' | 'updatedAt'>
>;

export interface BalanceDelta {
  balance?: number;
  pending?: number;
  debt?: number;
  lifetimeEarned?: number;
}

export interface LiabilityRow {
  bucket: string;
  available: number;
  pending: number;
  lots: number;
}

interface BalanceRecord {
  brand_id: string;
  member_id: string;
  balance: number;
  pending: number;
  debt: number;
  lifetime_earned: number;
  updated_at: Date;
}

const balanceRow = (r: BalanceRecord): MemberBalanceRow => ({
  brandId: r.brand_id,
  memberId: r.member_id,
  balance: r.balance,
  pending: r.pending,
  debt: r.debt,
  lifetimeEarned: r.lifetime_earned,
  updatedAt: r.updated_at,
});

/** Prepared statements of the batch paths (group-commit order ingestion). */
const SQL = {
  /**
   * Creates missing rows and locks all of them in one statement: the no-op DO UPDATE takes the
   * row lock of an existing row, rows are visited in member id order.
   */
  lockBalances: statement(
    'ledger_lock_balances',
    `insert into member_balances (brand_id, member_id)
     select m.brand_id, m.id from members m where m.brand_id = $1 and m.id = any($2::uuid[])
      order by m.id
     on conflict (brand_id, member_id) do update set member_id = excluded.member_id
     returning *`,
  ),
  getBalances: statement(
    'ledger_get_balances',
    `select * from member_balances where brand_id = $1 and member_id = any($2::uuid[])`,
  ),
  setBalances: statement(
    'ledger_set_balances',
    `update member_balances b
        set balance = v.balance, pending = v.pending, debt = v.debt,
            lifetime_earned = v.lifetime_earned, updated_at = now()
       from unnest($2::uuid[], $3::int[], $4::int[], $5::int[], $6::int[])
            as v(member_id, balance, pending, debt, lifetime_earned)
      where b.brand_id = $1 and b.member_id = v.member_id`,
  ),
  findDedupeKeys: statement(
    'ledger_find_dedupe_keys',
    `select dedupe_key, id, member_id from ledger_entries
      where brand_id = $1 and dedupe_key = any($2::text[])`,
  ),
  insertEntries: statement(
    'ledger_insert_entries',
    `insert into ledger_entries (brand_id, id, member_id, kind, amount, reason, source, source_id,
                                 rule_id, actor_type, actor_id, dedupe_key, details)
     select $1, v.id, v.member_id, v.kind::ledger_kind, v.amount, v.reason,
            v.source::ledger_source, v.source_id, v.rule_id, v.actor_type, v.actor_id,
            v.dedupe_key, v.details::jsonb
       from unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[],
                   $8::text[], $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[])
            as v(id, member_id, kind, amount, reason, source, source_id, rule_id, actor_type,
                 actor_id, dedupe_key, details)
     on conflict (brand_id, dedupe_key) do nothing
     returning id, created_at`,
  ),
  insertLots: statement(
    'ledger_insert_lots',
    `insert into point_lots (brand_id, member_id, earn_entry_id, points, remaining, earned_at,
                             available_at, expires_at)
     select $1, v.* from unnest($2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::timestamptz[],
                                $7::timestamptz[], $8::timestamptz[])
            as v(member_id, earn_entry_id, points, remaining, earned_at, available_at, expires_at)
     returning id, earn_entry_id`,
  ),
  heldPoints: statement(
    'ledger_held_points',
    `select member_id, sum(remaining) as held
       from point_lots
      where brand_id = $1 and member_id = any($2::uuid[])
        and remaining > 0 and expired_at is null and available_at > $3
      group by member_id`,
  ),
  liveLotTotals: statement(
    'ledger_live_lot_totals',
    `select member_id,
            coalesce(sum(remaining) filter (
              where available_at > $3 and (expires_at is null or expires_at > $3)), 0) as held,
            coalesce(sum(remaining) filter (where expires_at <= $3), 0) as overdue
       from point_lots
      where brand_id = $1 and member_id = any($2::uuid[])
        and remaining > 0 and expired_at is null
        and (available_at > $3 or expires_at <= $3)
      group by member_id`,
  ),
};

/** The only place the ledger's SQL lives. Every method takes the brand id. */
@Injectable()
export class LedgerRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  /**
   * Creates the member's balance row if missing (only for an existing member of the brand) and
   * locks it: every ledger write for the member runs while holding this lock.
   * null when the member does not exist in the brand. With `skipLocked`, null also when another
   * transaction holds the lock (the caller moves on).
   */
  async lockMember(
    brandId: string,
    memberId: string,
    tx: Executor,
    options: { skipLocked?: boolean } = {},
  ): Promise<MemberBalanceRow | null> {
    await tx.execute(sql`
      insert into member_balances (brand_id, member_id)
      select m.brand_id, m.id from members m where m.brand_id = ${brandId} and m.id = ${memberId}
      on conflict do nothing`);
    const query = tx
      .select()
      .from(memberBalances)
      .where(and(eq(memberBalances.brandId, brandId), eq(memberBalances.memberId, memberId)));
    const [row] = options.skipLocked
      ? await query.for('update', { skipLocked: true })
      : await query.for('update');
    return row ?? null;
  }

  /**
   * lockMember for several members of one batch: creates missing rows and locks them in member
   * id order (one order for every batch, so concurrent batches cannot deadlock on each other).
   * Members not in the brand are absent from the result.
   */
  async lockMembers(
    brandId: string,
    memberIds: string[],
    tx: Executor,
  ): Promise<Map<string, MemberBalanceRow>> {
    const ids = [...new Set(memberIds)].sort();
    const rows = await this.client.run<BalanceRecord>(SQL.lockBalances, [brandId, ids], tx);
    return new Map(rows.map((r) => [r.member_id, balanceRow(r)]));
  }

  /** Writes the totals of locked rows as computed by the caller (one statement for the batch). */
  async setBalances(brandId: string, rows: MemberBalanceRow[], tx: Executor): Promise<void> {
    if (!rows.length) return;
    await this.client.run(
      SQL.setBalances,
      [
        brandId,
        rows.map((r) => r.memberId),
        rows.map((r) => r.balance),
        rows.map((r) => r.pending),
        rows.map((r) => r.debt),
        rows.map((r) => r.lifetimeEarned),
      ],
      tx,
    );
  }

  async getBalance(
    brandId: string,
    memberId: string,
    tx?: Executor,
  ): Promise<MemberBalanceRow | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(memberBalances)
      .where(and(eq(memberBalances.brandId, brandId), eq(memberBalances.memberId, memberId)));
    return row ?? null;
  }

  async getBalances(
    brandId: string,
    memberIds: string[],
    tx?: Executor,
  ): Promise<Map<string, MemberBalanceRow>> {
    if (!memberIds.length) return new Map();
    const rows = await this.client.run<BalanceRecord>(SQL.getBalances, [brandId, memberIds], tx);
    return new Map(rows.map((r) => [r.member_id, balanceRow(r)]));
  }

  async updateBalance(
    brandId: string,
    memberId: string,
    delta: BalanceDelta,
    tx: Executor,
  ): Promise<MemberBalanceRow> {
    const [row] = await tx
      .update(memberBalances)
      .set({
        balance: sql`${memberBalances.balance} + ${delta.balance ?? 0}`,
        pending: sql`${memberBalances.pending} + ${delta.pending ?? 0}`,
        debt: sql`${memberBalances.debt} + ${delta.debt ?? 0}`,
        lifetimeEarned: sql`${memberBalances.lifetimeEarned} + ${delta.lifetimeEarned ?? 0}`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(memberBalances.brandId, brandId), eq(memberBalances.memberId, memberId)))
      .returning();
    return row;
  }

  async findEntryByDedupeKey(
    brandId: string,
    dedupeKey: string,
    tx?: Executor,
  ): Promise<LedgerEntry | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.brandId, brandId), eq(ledgerEntries.dedupeKey, dedupeKey)));
    return row ?? null;
  }

  /** Which of `dedupeKeys` are taken, and by which entry and member. */
  async findDedupeKeys(
    brandId: string,
    dedupeKeys: string[],
    tx?: Executor,
  ): Promise<{ dedupeKey: string; id: string; memberId: string }[]> {
    if (!dedupeKeys.length) return [];
    const rows = await this.client.run<{ dedupe_key: string; id: string; member_id: string }>(
      SQL.findDedupeKeys,
      [brandId, dedupeKeys],
      tx,
    );
    return rows.map((r) => ({ dedupeKey: r.dedupe_key, id: r.id, memberId: r.member_id }));
  }

  async findEntry(
    brandId: string,
    memberId: string,
    entryId: string,
    tx?: Executor,
  ): Promise<LedgerEntry | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.brandId, brandId),
          eq(ledgerEntries.memberId, memberId),
          eq(ledgerEntries.id, entryId),
        ),
      );
    return row ?? null;
  }

  /** null when the dedupe key is taken (the caller reads the existing entry). */
  async insertEntry(
    brandId: string,
    values: NewLedgerEntry,
    tx: Executor,
  ): Promise<LedgerEntry | null> {
    const [row] = await tx
      .insert(ledgerEntries)
      .values({ ...values, brandId })
      .onConflictDoNothing({ target: [ledgerEntries.brandId, ledgerEntries.dedupeKey] })
      .returning();
    return row ?? null;
  }

  /**
   * Several entries in one statement (ids chosen by the caller); a taken dedupe key is skipped
   * and absent from the result.
   */
  async insertEntries(
    brandId: string,
    values: (NewLedgerEntry & { id: string })[],
    tx: Executor,
  ): Promise<LedgerEntry[]> {
    if (!values.length) return [];
    const rows = await this.client.run<{ id: string; created_at: Date }>(
      SQL.insertEntries,
      [
        brandId,
        values.map((v) => v.id),
        values.map((v) => v.memberId),
        values.map((v) => v.kind),
        values.map((v) => v.amount),
        values.map((v) => v.reason),
        values.map((v) => v.source),
        values.map((v) => v.sourceId ?? null),
        values.map((v) => v.ruleId ?? null),
        values.map((v) => v.actorType),
        values.map((v) => v.actorId ?? null),
        values.map((v) => v.dedupeKey),
        values.map((v) => JSON.stringify(v.details ?? {})),
      ],
      tx,
    );
    const byId = new Map(values.map((v) => [v.id, v]));
    return rows.map((r) => {
      const v = byId.get(r.id) as NewLedgerEntry & { id: string };
      return {
        brandId,
        id: v.id,
        memberId: v.memberId,
        kind: v.kind,
        amount: v.amount,
        reason: v.reason,
        source: v.source,
        sourceId: v.sourceId ?? null,
        ruleId: v.ruleId ?? null,
        actorType: v.actorType,
        actorId: v.actorId ?? null,
        dedupeKey: v.dedupeKey,
        details: v.details ?? {},
        createdAt: r.created_at,
      };
    });
  }

  async insertLots(brandId: string, values: NewPointLot[], tx: Executor): Promise<PointLot[]> {
    if (!values.length) return [];
    const rows = await this.client.run<{ id: string; earn_entry_id: string }>(
      SQL.insertLots,
      [
        brandId,
        values.map((v) => v.memberId),
        values.map((v) => v.earnEntryId),
        values.map((v) => v.points),
        values.map((v) => v.remaining),
        values.map((v) => v.earnedAt),
        values.map((v) => v.availableAt),
        values.map((v) => v.expiresAt ?? null),
      ],
      tx,
    );
    const idByEntry = new Map(rows.map((r) => [r.earn_entry_id, r.id]));
    return values.map((v) => ({
      brandId,
      id: idByEntry.get(v.earnEntryId) as string,
      memberId: v.memberId,
      earnEntryId: v.earnEntryId,
      points: v.points,
      remaining: v.remaining,
      earnedAt: v.earnedAt,
      availableAt: v.availableAt,
      expiresAt: v.expiresAt ?? null,
      expiredAt: null,
      warnedAt: null,
    }));
  }

  async findLotByEarnEntry(
    brandId: string,
    earnEntryId: string,
    tx?: Executor,
  ): Promise<PointLot | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(pointLots)
      .where(and(eq(pointLots.brandId, brandId), eq(pointLots.earnEntryId, earnEntryId)));
    return row ?? null;
  }

  /** Lots with points left and not yet expired by the sweep; locked when `forUpdate`. */
  async openLots(
    brandId: string,
    memberId: string,
    tx?: Executor,
    options: { forUpdate?: boolean } = {},
  ): Promise<PointLot[]> {
    const query = this.ex(tx)
      .select()
      .from(pointLots)
      .where(
        and(
          eq(pointLots.brandId, brandId),
          eq(pointLots.memberId, memberId),
          gt(pointLots.remaining, 0),
          isNull(pointLots.expiredAt),
        ),
      )
      .orderBy(
        sql`${pointLots.expiresAt} asc nulls last`,
        asc(pointLots.earnedAt),
        asc(pointLots.id),
      );
    return options.forUpdate ? query.for('update') : query;
  }

  /** Σ remaining of open lots still held at `now` (the true pending amount). */
  async heldPoints(brandId: string, memberId: string, now: Date, tx?: Executor): Promise<number> {
    return (await this.heldPointsMany(brandId, [memberId], now, tx)).get(memberId) ?? 0;
  }

  /** heldPoints for several members in one statement (members with nothing held are absent). */
  async heldPointsMany(
    brandId: string,
    memberIds: string[],
    now: Date,
    tx?: Executor,
  ): Promise<Map<string, number>> {
    if (!memberIds.length) return new Map();
    const rows = await this.client.run<{ member_id: string; held: string }>(
      SQL.heldPoints,
      [brandId, memberIds, now],
      tx,
    );
    return new Map(rows.map((r) => [r.member_id, Number(r.held)]));
  }

  /**
   * What members' open lots look like at `now`: points still held (not yet available, not
   * expired) and points past their expiry that the sweep has not expired yet (one statement).
   */
  async liveLotTotalsMany(
    brandId: string,
    memberIds: string[],
    now: Date,
    tx?: Executor,
  ): Promise<Map<string, { held: number; overdue: number }>> {
    if (!memberIds.length) return new Map();
    const rows = await this.client.run<{ member_id: string; held: string; overdue: string }>(
      SQL.liveLotTotals,
      [brandId, memberIds, now],
      tx,
    );
    return new Map(
      rows.map((r) => [r.member_id, { held: Number(r.held), overdue: Number(r.overdue) }]),
    );
  }

  /** Records which lots a debit drew from and takes the points off them. */
  async applyAllocations(
    brandId: string,
    entryId: string,
    allocations: Allocation[],
    tx: Executor,
  ): Promise<void> {
    if (!allocations.length) return;
    await tx
      .insert(lotAllocations)
      .values(allocations.map((a) => ({ brandId, entryId, lotId: a.lotId, points: a.points })));
    const values = sql.join(
      allocations.map((a) => sql`(${a.lotId}::uuid, ${a.points}::int)`),
      sql`, `,
    );
    await tx.execute(sql`
      update point_lots l set remaining = l.remaining - v.points
        from (values ${values}) as v(lot_id, points)
       where l.brand_id = ${brandId} and l.id = v.lot_id`);
  }

  async markLotsExpired(brandId: string, lotIds: string[], at: Date, tx: Executor): Promise<void> {
    if (!lotIds.length) return;
    await tx
      .update(pointLots)
      .set({ expiredAt: at })
      .where(and(eq(pointLots.brandId, brandId), inArray(pointLots.id, lotIds)));
  }

  /** Points already clawed back from one earn entry (Σ of its reverse entries). */
  async clawedBack(
    brandId: string,
    memberId: string,
    earnEntryId: string,
    tx?: Executor,
  ): Promise<number> {
    const [row] = await this.ex(tx)
      .select({ total: sql<string>`coalesce(sum(-${ledgerEntries.amount}), 0)` })
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.brandId, brandId),
          eq(ledgerEntries.memberId, memberId),
          eq(ledgerEntries.kind, 'reverse'),
          sql`${ledgerEntries.details}->>'earnEntryId' = ${earnEntryId}`,
        ),
      );
    return Number(row?.total ?? 0);
  }

  /** Newest first, `limit + 1` rows (keyset on created_at, id). */
  async listEntries(
    brandId: string,
    memberId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(LedgerEntry & { cursorAt: string })[]> {
    return this.ex(tx)
      .select({ ...getTableColumns(ledgerEntries), cursorAt: cursorAt(ledgerEntries.createdAt) })
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.brandId, brandId),
          eq(ledgerEntries.memberId, memberId),
          page.after ? olderThan(ledgerEntries.createdAt, ledgerEntries.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
      .limit(page.limit + 1);
  }

  // ---- expiry jobs (cross-brand scans by design: they serve every tenant) ----

  /** Members owning lots due to expire at `now`, oldest due first. */
  async membersWithOverdueLots(
    now: Date,
    limit: number,
    tx?: Executor,
  ): Promise<{ brandId: string; memberId: string }[]> {
    const result = await this.ex(tx).execute<{ brand_id: string; member_id: string }>(sql`
      select brand_id, member_id from (
        select brand_id, member_id, min(expires_at) as due from point_lots
         where expires_at <= ${now} and remaining > 0 and expired_at is null
         group by brand_id, member_id
      ) d order by due limit ${limit}`);
    return result.rows.map((r) => ({ brandId: r.brand_id, memberId: r.member_id }));
  }

  /** Members owning unwarned lots that expire within their programme's warning window. */
  async membersToWarn(
    now: Date,
    limit: number,
    tx?: Executor,
  ): Promise<{ brandId: string; memberId: string; warningDays: number }[]> {
    const result = await this.ex(tx).execute<{
      brand_id: string;
      member_id: string;
      warning_days: number;
    }>(sql`
      select l.brand_id, l.member_id, coalesce(p.expiry_warning_days, 30) as warning_days
        from point_lots l left join loyalty_programs p on p.brand_id = l.brand_id
       where l.remaining > 0 and l.expired_at is null and l.warned_at is null
         and l.expires_at > ${now}
         and l.expires_at <= ${now}::timestamptz
             + make_interval(days => coalesce(p.expiry_warning_days, 30))
       group by l.brand_id, l.member_id, p.expiry_warning_days
       limit ${limit}`);
    return result.rows.map((r) => ({
      brandId: r.brand_id,
      memberId: r.member_id,
      warningDays: Number(r.warning_days),
    }));
  }

  /** Marks the member's unwarned lots expiring in (now, until] as warned; returns them. */
  async markWarned(
    brandId: string,
    memberId: string,
    now: Date,
    until: Date,
    tx: Executor,
  ): Promise<PointLot[]> {
    return tx
      .update(pointLots)
      .set({ warnedAt: now })
      .where(
        and(
          eq(pointLots.brandId, brandId),
          eq(pointLots.memberId, memberId),
          gt(pointLots.remaining, 0),
          isNull(pointLots.expiredAt),
          isNull(pointLots.warnedAt),
          gt(pointLots.expiresAt, now),
          sql`${pointLots.expiresAt} <= ${until}`,
        ),
      )
      .returning();
  }

  // ---- liability ----

  /**
   * Outstanding points by expiry month (`YYYY-MM`, or `never`), split available / pending; lots
   * past their expiry at `now` are not owed any more, even before the sweep reaches them.
   */
  async liabilityByMonth(brandId: string, now: Date, tx?: Executor): Promise<LiabilityRow[]> {
    const result = await this.ex(tx).execute<Record<string, string>>(sql`
      select coalesce(to_char(expires_at at time zone 'UTC', 'YYYY-MM'), 'never') as bucket,
             coalesce(sum(remaining) filter (where available_at <= ${now}), 0) as available,
             coalesce(sum(remaining) filter (where available_at > ${now}), 0) as pending,
             count(*) as lots
        from point_lots
       where brand_id = ${brandId} and remaining > 0 and expired_at is null
         and (expires_at is null or expires_at > ${now})
       group by 1 order by 1`);
    return result.rows.map(toLiabilityRow);
  }

  /** Outstanding points by the member's tier code (`none` without a tier). */
  async liabilityByTier(brandId: string, now: Date, tx?: Executor): Promise<LiabilityRow[]> {
    const result = await this.ex(tx).execute<Record<string, string>>(sql`
      select coalesce(t.code, 'none') as bucket,
             coalesce(sum(l.remaining) filter (where l.available_at <= ${now}), 0) as available,
             coalesce(sum(l.remaining) filter (where l.available_at > ${now}), 0) as pending,
             count(*) as lots
        from point_lots l
        left join member_tiers mt on mt.brand_id = l.brand_id and mt.member_id = l.member_id
        left join tiers t on t.brand_id = mt.brand_id and t.id = mt.tier_id
       where l.brand_id = ${brandId} and l.remaining > 0 and l.expired_at is null
         and (l.expires_at is null or l.expires_at > ${now})
       group by 1 order by 1`);
    return result.rows.map(toLiabilityRow);
  }

  async totalDebt(brandId: string, tx?: Executor): Promise<number> {
    const [row] = await this.ex(tx)
      .select({ debt: sql<string>`coalesce(sum(${memberBalances.debt}), 0)` })
      .from(memberBalances)
      .where(eq(memberBalances.brandId, brandId));
    return Number(row?.debt ?? 0);
  }

  // ---- programme ----

  async findProgram(brandId: string, tx?: Executor): Promise<LoyaltyProgram | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(loyaltyPrograms)
      .where(eq(loyaltyPrograms.brandId, brandId));
    return row ?? null;
  }

  async upsertProgram(
    brandId: string,
    changes: ProgramChanges,
    tx: Executor,
  ): Promise<LoyaltyProgram> {
    const [row] = await tx
      .insert(loyaltyPrograms)
      .values({ ...changes, brandId })
      .onConflictDoUpdate({
        target: loyaltyPrograms.brandId,
        set: { ...changes, updatedAt: sql`now()` },
      })
      .returning();
    return row;
  }

  // ---- invariants ----

  /** Raw SQL checks; each returned row is one violation, described by `problem`. */
  async invariantViolations(brandId: string, now: Date, tx?: Executor): Promise<string[]> {
    const result = await this.ex(tx).execute<{ problem: string }>(sql`
      with entries as (
        select member_id, sum(amount)::bigint as total,
               coalesce(sum(amount) filter (where kind = 'earn'), 0)::bigint as earned
          from ledger_entries where brand_id = ${brandId} group by member_id
      ), lots as (
        select member_id,
               coalesce(sum(remaining) filter (where expired_at is null), 0)::bigint as open,
               coalesce(sum(remaining) filter (where expired_at is null and available_at > ${now}), 0)::bigint as held
          from point_lots where brand_id = ${brandId} group by member_id
      ), members_all as (
        select member_id from entries union select member_id from lots
        union select member_id from member_balances where brand_id = ${brandId}
      ), joined as (
        select m.member_id, b.balance, b.pending, b.debt, b.lifetime_earned,
               coalesce(e.total, 0) as total, coalesce(e.earned, 0) as earned,
               coalesce(l.open, 0) as open, coalesce(l.held, 0) as held
          from members_all m
          left join member_balances b on b.brand_id = ${brandId} and b.member_id = m.member_id
          left join entries e on e.member_id = m.member_id
          left join lots l on l.member_id = m.member_id
      )
      select format('member %s: no member_balances row', member_id) as problem
        from joined where balance is null
      union all
      select format('member %s: balance %s + pending %s - debt %s <> sum(entries) %s',
                    member_id, balance, pending, debt, total)
        from joined where balance is not null and balance + pending - debt <> total
      union all
      select format('member %s: balance %s + pending %s <> sum(open lot remaining) %s',
                    member_id, balance, pending, open)
        from joined where balance is not null and balance + pending <> open
      union all
      select format('member %s: negative totals (balance %s, pending %s, debt %s)',
                    member_id, balance, pending, debt)
        from joined where balance < 0 or pending < 0 or debt < 0
      union all
      select format('member %s: pending %s < points still held %s', member_id, pending, held)
        from joined where balance is not null and pending < held
      union all
      select format('member %s: lifetime_earned %s <> sum(earn entries) %s',
                    member_id, lifetime_earned, earned)
        from joined where balance is not null and lifetime_earned <> earned
      union all
      select format('lot %s: remaining %s outside [0, %s]', id, remaining, points)
        from point_lots where brand_id = ${brandId} and (remaining < 0 or remaining > points)
      union all
      select format('lot %s: expired with %s remaining', id, remaining)
        from point_lots where brand_id = ${brandId} and expired_at is not null and remaining <> 0
      union all
      select format('lot %s: allocations %s exceed points %s', l.id, a.total, l.points)
        from point_lots l
        join (select lot_id, sum(points) as total from lot_allocations
               where brand_id = ${brandId} group by lot_id) a on a.lot_id = l.id
       where l.brand_id = ${brandId} and a.total > l.points
      union all
      select format('entry %s: allocations %s <> -amount %s (kind %s)', e.id, a.total, e.amount, e.kind)
        from ledger_entries e
        join (select entry_id, sum(points) as total from lot_allocations
               where brand_id = ${brandId} group by entry_id) a on a.entry_id = e.id
       where e.brand_id = ${brandId} and e.kind in ('redeem', 'expire', 'adjust')
         and a.total <> -e.amount`);
    return result.rows.map((r) => r.problem);
  }
}

function toLiabilityRow(row: Record<string, string>): LiabilityRow {
  return {
    bucket: row.bucket,
    available: Number(row.available),
    pending: Number(row.pending),
    lots: Number(row.lots),
  };
}
