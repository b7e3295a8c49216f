import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, memberPredictions, modelVersions } from '@app/db';
import type { MemberHistory } from './features';

export type MemberPredictionRow = typeof memberPredictions.$inferSelect;
export type MemberPredictionValues = Omit<MemberPredictionRow, 'brandId'>;
export type ModelVersionRow = typeof modelVersions.$inferSelect;
export type NewTimingVersion = Pick<
  ModelVersionRow,
  | 'algorithm'
  | 'params'
  | 'metrics'
  | 'dataWindow'
  | 'artifact'
  | 'artifactBytes'
  | 'trainedMs'
  | 'backend'
>;

export type SegmentName = 'likely-7d' | 'likely-28d' | 'at-risk';

/** Keyset position in a segment: the ordering score, then the member id. */
export interface SegmentPosition {
  score: number;
  memberId: string;
}

export interface SegmentRow extends MemberPredictionRow {
  score: number;
}

/** Rows of a purchase history query: one per member and purchase day. */
interface DayRow extends Record<string, unknown> {
  member_id: string;
  day: number;
  amount_minor: string | number;
}

/**
 * All SQL of next-purchase timing: purchase histories from the brand's orders, engagement days,
 * timing model versions and member predictions. Every method is scoped by brand.
 */
@Injectable()
export class PredictionsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  /**
   * Purchase days per member up to `until`: orders that stayed (at least partly) paid, net of
   * refunds, merged per UTC day — the BTYD counting rule. `memberId` narrows to one member.
   */
  async histories(
    brandId: string,
    until: Date,
    memberId?: string,
    tx?: Executor,
  ): Promise<MemberHistory[]> {
    const member = memberId ? sql`and member_id = ${memberId}` : sql``;
    const result = await this.ex(tx).execute<DayRow>(sql`
      select member_id,
             (extract(epoch from date_trunc('day', placed_at at time zone 'UTC')) / 86400)::int as day,
             sum(paid_total_minor - refunded_total_minor) as amount_minor
        from orders
       where brand_id = ${brandId} and status in ('paid', 'partially_refunded')
         and placed_at <= ${until} ${member}
       group by member_id, day
       order by member_id, day`);
    const engagement = await this.engagementDays(brandId, until, memberId, tx);
    const out: MemberHistory[] = [];
    let current: MemberHistory | undefined;
    for (const row of result.rows) {
      if (current?.customer !== row.member_id) {
        current = {
          customer: row.member_id,
          days: [],
          amounts: [],
          engagementDays: engagement.get(row.member_id) ?? [],
        };
        out.push(current);
      }
      current.days.push(Number(row.day));
      current.amounts.push(Number(row.amount_minor));
    }
    return out;
  }

  /** Days each member posted or reviewed (engagement feature). */
  private async engagementDays(
    brandId: string,
    until: Date,
    memberId: string | undefined,
    tx?: Executor,
  ): Promise<Map<string, number[]>> {
    const postMember = memberId ? sql`and author_id = ${memberId}` : sql``;
    const reviewMember = memberId ? sql`and member_id = ${memberId}` : sql``;
    const result = await this.ex(tx).execute<{ member_id: string; day: number }>(sql`
      select member_id, day from (
        select author_id as member_id,
               (extract(epoch from date_trunc('day', created_at at time zone 'UTC')) / 86400)::int as day
          from posts where brand_id = ${brandId} and created_at <= ${until} ${postMember}
        union
        select member_id,
               (extract(epoch from date_trunc('day', created_at at time zone 'UTC')) / 86400)::int
          from reviews where brand_id = ${brandId} and created_at <= ${until} ${reviewMember}
      ) e order by member_id, day`);
    const out = new Map<string, number[]>();
    for (const row of result.rows) {
      const days = out.get(row.member_id);
      if (days) days.push(Number(row.day));
      else out.set(row.member_id, [Number(row.day)]);
    }
    return out;
  }

  /** Brands with at least one order (the nightly refit's work list; platform-level). */
  async brandsWithOrders(tx?: Executor): Promise<string[]> {
    const result = await this.ex(tx).execute<{ id: string }>(
      sql`select b.id from brands b where exists (select 1 from orders o where o.brand_id = b.id)`,
    );
    return result.rows.map((r) => r.id);
  }

  async memberExists(brandId: string, memberId: string, tx?: Executor): Promise<boolean> {
    const result = await this.ex(tx).execute<{ found: boolean }>(
      sql`select exists(select 1 from members where brand_id = ${brandId} and id = ${memberId}) as found`,
    );
    return Boolean(result.rows[0]?.found);
  }

  // --- model versions ----------------------------------------------------------------------------

  /** Id of the active timing version (cheap: the artifact is not read). */
  async activeVersionId(brandId: string, tx?: Executor): Promise<string | null> {
    const [row] = await this.ex(tx)
      .select({ id: modelVersions.id })
      .from(modelVersions)
      .where(
        and(
          eq(modelVersions.brandId, brandId),
          eq(modelVersions.kind, 'timing'),
          eq(modelVersions.status, 'active'),
        ),
      )
      .orderBy(desc(modelVersions.activatedAt))
      .limit(1);
    return row?.id ?? null;
  }

  async findVersion(brandId: string, id: string, tx?: Executor): Promise<ModelVersionRow | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.brandId, brandId), eq(modelVersions.id, id)));
    return row ?? null;
  }

  /** Inserts a version as active and retires the previously active timing version(s). */
  async activateNewVersion(
    brandId: string,
    values: NewTimingVersion,
    tx: Executor,
  ): Promise<ModelVersionRow> {
    const now = new Date();
    const [row] = await tx
      .insert(modelVersions)
      .values({ ...values, brandId, kind: 'timing', status: 'active', activatedAt: now })
      .returning();
    await tx
      .update(modelVersions)
      .set({ status: 'retired' })
      .where(
        and(
          eq(modelVersions.brandId, brandId),
          eq(modelVersions.kind, 'timing'),
          eq(modelVersions.status, 'active'),
          ne(modelVersions.id, row.id),
        ),
      );
    return row;
  }

  // --- member predictions ------------------------------------------------------------------------

  async findPrediction(
    brandId: string,
    memberId: string,
    tx?: Executor,
  ): Promise<MemberPredictionRow | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(memberPredictions)
      .where(and(eq(memberPredictions.brandId, brandId), eq(memberPredictions.memberId, memberId)));
    return row ?? null;
  }

  /**
   * Serialises prediction writes per member until the transaction ends (advisory locks, taken in
   * the given order: callers sort the ids so two writers cannot deadlock).
   */
  async lockMembers(brandId: string, memberIds: string[], tx: Executor): Promise<void> {
    if (memberIds.length === 0) return;
    // Member ids are uuids: a comma-joined list is unambiguous.
    await tx.execute(sql`
      select pg_advisory_xact_lock(hashtextextended(${`timing:${brandId}:`} || m, 0))
        from unnest(string_to_array(${memberIds.join(',')}, ',')) with ordinality as t(m, n)
       order by n`);
  }

  /** Current window marks of these members, locked until the transaction ends. */
  async lockWindows(
    brandId: string,
    memberIds: string[],
    tx: Executor,
  ): Promise<Map<string, Date | null>> {
    if (memberIds.length === 0) return new Map();
    const rows = await tx
      .select({
        memberId: memberPredictions.memberId,
        windowEnteredAt: memberPredictions.windowEnteredAt,
      })
      .from(memberPredictions)
      .where(
        and(eq(memberPredictions.brandId, brandId), inArray(memberPredictions.memberId, memberIds)),
      )
      .for('update');
    return new Map(rows.map((r) => [r.memberId, r.windowEnteredAt]));
  }

  async upsertPredictions(
    brandId: string,
    rows: MemberPredictionValues[],
    tx: Executor,
  ): Promise<void> {
    if (rows.length === 0) return;
    await tx
      .insert(memberPredictions)
      .values(rows.map((r) => ({ ...r, brandId })))
      .onConflictDoUpdate({
        target: [memberPredictions.brandId, memberPredictions.memberId],
        set: {
          modelVersionId: sql`excluded.model_version_id`,
          algorithm: sql`excluded.algorithm`,
          nextPurchaseAt: sql`excluded.next_purchase_at`,
          p7: sql`excluded.p7`,
          p14: sql`excluded.p14`,
          p28: sql`excluded.p28`,
          pAlive: sql`excluded.p_alive`,
          expectedPurchases12m: sql`excluded.expected_purchases_12m`,
          clv12mMinor: sql`excluded.clv_12m_minor`,
          windowEnteredAt: sql`excluded.window_entered_at`,
          computedAt: sql`excluded.computed_at`,
        },
      });
  }

  /**
   * One page of a segment, best first. likely-7d / likely-28d: p7 / p28 at or above the
   * threshold, ordered by it; at-risk: P(alive) below the threshold, ordered by the value at
   * stake (12-month CLV if the member were still active: clv / P(alive)).
   */
  async segment(
    brandId: string,
    segment: SegmentName,
    threshold: number,
    limit: number,
    after?: SegmentPosition,
    tx?: Executor,
  ): Promise<SegmentRow[]> {
    const score =
      segment === 'likely-7d'
        ? sql`p7`
        : segment === 'likely-28d'
          ? sql`p28`
          : sql`(clv_12m_minor / greatest(p_alive, 1e-9))`;
    const filter =
      segment === 'likely-7d'
        ? sql`p7 >= ${threshold}`
        : segment === 'likely-28d'
          ? sql`p28 >= ${threshold}`
          : sql`p_alive < ${threshold} and clv_12m_minor > 0`;
    const keyset = after
      ? sql`and (${score} < ${after.score}::float8 or (${score} = ${after.score}::float8 and member_id > ${after.memberId}::uuid))`
      : sql``;
    const result = await this.ex(tx).execute<Record<string, unknown>>(sql`
      select brand_id, member_id, model_version_id, algorithm, next_purchase_at, p7, p14, p28,
             p_alive, expected_purchases_12m, clv_12m_minor, window_entered_at, computed_at,
             ${score} as score
        from member_predictions
       where brand_id = ${brandId} and ${filter} ${keyset}
       order by score desc, member_id asc
       limit ${limit}`);
    const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
    return result.rows.map((r) => ({
      brandId: r.brand_id as string,
      memberId: r.member_id as string,
      modelVersionId: (r.model_version_id as string | null) ?? null,
      algorithm: r.algorithm as string,
      nextPurchaseAt: date(r.next_purchase_at),
      p7: Number(r.p7),
      p14: Number(r.p14),
      p28: Number(r.p28),
      pAlive: Number(r.p_alive),
      expectedPurchases12m: Number(r.expected_purchases_12m),
      clv12mMinor: Number(r.clv_12m_minor),
      windowEnteredAt: date(r.window_entered_at),
      computedAt: date(r.computed_at)!,
      score: Number(r.score),
    }));
  }
}
