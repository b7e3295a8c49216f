import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, desc, eq, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  brands,
  memberSegments,
  memberTags,
  segmentHistory,
  segments,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';
import { type LifecyclePolicy, VALUE_TIER_CUTS } from './lifecycle-policy';
import type { SegmentDefinition } from './segment-definition';

export type MemberSegmentRow = typeof memberSegments.$inferSelect;
export type NamedSegment = typeof segments.$inferSelect;
export type MemberTag = typeof memberTags.$inferSelect;
export type SegmentHistoryRow = typeof segmentHistory.$inferSelect;

/** Match conditions resolved by the service: `all` must hold, and one of `anyOf` when given. */
export interface ResolvedAudience {
  all: SegmentDefinition;
  anyOf?: SegmentDefinition[];
}

export interface LifecycleChange {
  memberId: string;
  from: string;
  to: string;
  historyId: string;
}

export interface RecomputeOutcome {
  members: number;
  written: number;
  changes: LifecycleChange[];
  /** Tags added / removed by tag rules (full runs only). */
  ruleTags?: { added: number; removed: number };
}

/** Cut points of the last full run, for placing one member between runs. */
export interface Breakpoints {
  recency: Date[];
  frequency: number[];
  monetary: number[];
  value: number[];
}

export type SegmentMemberRow = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  cursorAt: string;
  lifecycle: string | null;
  valueTier: string | null;
  persona: string | null;
  recency: number | null;
  frequency: number | null;
  monetary: number | null;
  orders: number | null;
  revenueMinor: number | null;
  lastOrderAt: Date | null;
};

const pgArray = (values: Array<string | number>) =>
  `{${values.map((v) => (typeof v === 'number' ? String(v) : `"${v}"`)).join(',')}}`;

const inList = (expr: SQL, values: readonly string[]): SQL =>
  values.length
    ? sql`${expr} in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`
    : sql`false`;

@Injectable()
export class SegmentsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  async brandSettings(brandId: string, tx?: Executor): Promise<Record<string, unknown> | null> {
    const [row] = await this.ex(tx)
      .select({ settings: brands.settings })
      .from(brands)
      .where(eq(brands.id, brandId));
    return row?.settings ?? null;
  }

  /** Serialises recomputes of a brand: the full run exclusively, single members shared. */
  async lockBrand(brandId: string, mode: 'full' | 'member', tx: Executor): Promise<void> {
    const key = `segments:${brandId}`;
    await tx.execute(
      mode === 'full'
        ? sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`
        : sql`select pg_advisory_xact_lock_shared(hashtextextended(${key}, 0))`,
    );
  }

  /** Per-member order and coupon figures as of `asOf` (one member, or every member of the brand). */
  private stats(brandId: string, asOf: Date, memberId?: string): SQL {
    const oneOrder = memberId ? sql`and member_id = ${memberId}` : sql``;
    const oneMember = memberId ? sql`and m.id = ${memberId}` : sql``;
    return sql`
      select m.id as member_id,
             extract(epoch from (${asOf}::timestamptz - m.created_at)) / 86400 as days_joined,
             coalesce(o.orders, 0) as orders,
             coalesce(o.revenue, 0)::bigint as revenue,
             o.first_at, o.last_at,
             coalesce(c.redeemed, 0) as redeemed
        from members m
        left join (
          select member_id, count(*)::int as orders,
                 sum(paid_total_minor - refunded_total_minor)::bigint as revenue,
                 min(placed_at) as first_at, max(placed_at) as last_at
            from orders
           where brand_id = ${brandId} and status <> 'refunded' and placed_at <= ${asOf}::timestamptz ${oneOrder}
           group by member_id
        ) o on o.member_id = m.id
        left join (
          select member_id, count(*)::int as redeemed
            from coupons
           where brand_id = ${brandId} and status = 'redeemed' and member_id is not null ${oneOrder}
           group by member_id
        ) c on c.member_id = m.id
       where m.brand_id = ${brandId} ${oneMember}`;
  }

  /**
   * Upserts member_segments from `scored` (member_id, r, f, m, value_tier, orders, revenue,
   * first_at, last_at, redeemed, days_joined), deriving lifecycle and persona, in one statement;
   * writes segment_history for every changed dimension and returns the lifecycle changes. Rows
   * whose values did not change are not rewritten (computed_at is the time of the last change).
   */
  private async upsert(
    brandId: string,
    statsSql: SQL,
    scoredSql: SQL,
    policy: LifecyclePolicy,
    asOf: Date,
    tx: Executor,
  ): Promise<RecomputeOutcome> {
    const p = policy;
    const result = await tx.execute<{
      members: number;
      written: number;
      changes: LifecycleChange[];
    }>(sql`
      with stats as (${statsSql}),
      scored as (${scoredSql}),
      shaped as (
        select sc.*,
               extract(epoch from (${asOf}::timestamptz - sc.last_at)) / 86400 as days_last,
               least(greatest(
                 case when sc.orders >= 2
                      then extract(epoch from (sc.last_at - sc.first_at)) / 86400 / (sc.orders - 1)
                      else ${p.defaultGapDays}::float8 end,
                 ${p.minGapDays}::float8), ${p.maxGapDays}::float8) as gap
          from scored sc
      ),
      computed as (
        select s.member_id, s.r, s.f, s.m, s.value_tier, s.last_at, s.orders, s.revenue,
               case when s.orders = 0 then 'unknown'
                    when s.redeemed::float8 / s.orders >= ${p.discountDrivenShare}::float8 then 'discount_driven'
                    when s.redeemed::float8 / s.orders <= ${p.fullPriceShare}::float8 then 'full_price'
                    else 'mixed' end as persona,
               (case when s.orders = 0 then
                       case when s.days_joined <= ${p.newDays}::float8 then 'new' else 'dormant' end
                     when s.orders = 1 and s.days_last <= ${p.newDays}::float8 then 'new'
                     when s.days_last <= ${p.activeFactor}::float8 * s.gap then 'active'
                     when s.days_last <= ${p.atRiskFactor}::float8 * s.gap then 'at_risk'
                     when s.days_last <= ${p.dormantFactor}::float8 * s.gap then 'dormant'
                     else 'churned' end)::lifecycle_stage as lifecycle
          from shaped s
      ),
      prev as (
        select member_id, lifecycle::text as lifecycle, value_tier, persona
          from member_segments
         where brand_id = ${brandId} and member_id in (select member_id from computed)
      ),
      up as (
        insert into member_segments as ms
          (brand_id, member_id, rfm_r, rfm_f, rfm_m, lifecycle, value_tier, persona,
           last_order_at, orders, revenue_minor, computed_at)
        select ${brandId}, member_id, r, f, m, lifecycle, value_tier, persona,
               last_at, orders, revenue, ${asOf}::timestamptz
          from computed
        on conflict (brand_id, member_id) do update set
          rfm_r = excluded.rfm_r, rfm_f = excluded.rfm_f, rfm_m = excluded.rfm_m,
          lifecycle = excluded.lifecycle, value_tier = excluded.value_tier,
          persona = excluded.persona, last_order_at = excluded.last_order_at,
          orders = excluded.orders, revenue_minor = excluded.revenue_minor,
          computed_at = excluded.computed_at
        where (ms.rfm_r, ms.rfm_f, ms.rfm_m, ms.lifecycle, ms.value_tier, ms.persona,
               ms.last_order_at, ms.orders, ms.revenue_minor)
              is distinct from
              (excluded.rfm_r, excluded.rfm_f, excluded.rfm_m, excluded.lifecycle,
               excluded.value_tier, excluded.persona, excluded.last_order_at, excluded.orders,
               excluded.revenue_minor)
        returning member_id, lifecycle::text as lifecycle, value_tier, persona
      ),
      hist as (
        insert into segment_history (brand_id, member_id, dimension, from_value, to_value, at)
        select ${brandId}, up.member_id, d.dimension, d.from_value, d.to_value, ${asOf}::timestamptz
          from up
          join prev using (member_id)
          cross join lateral (values
            ('lifecycle', prev.lifecycle, up.lifecycle),
            ('value_tier', prev.value_tier, up.value_tier),
            ('persona', prev.persona, up.persona)) as d(dimension, from_value, to_value)
         where d.from_value is distinct from d.to_value
        returning id, member_id, dimension, from_value, to_value
      )
      select (select count(*) from computed)::int as members,
             (select count(*) from up)::int as written,
             coalesce((select json_agg(json_build_object(
                 'memberId', member_id, 'from', from_value, 'to', to_value, 'historyId', id))
                 from hist where dimension = 'lifecycle'), '[]'::json) as changes`);
    const row = result.rows[0];
    return { members: row.members, written: row.written, changes: row.changes };
  }

  /** Every member of the brand, RFM quintiles by ntile over the brand's buyers (set-based). */
  recomputeAll(
    brandId: string,
    policy: LifecyclePolicy,
    asOf: Date,
    tx: Executor,
  ): Promise<RecomputeOutcome> {
    const scored = sql`
      select s.*,
             case when s.orders > 0 then ntile(5) over (partition by s.orders > 0 order by s.last_at, s.member_id) else 0 end as r,
             case when s.orders > 0 then ntile(5) over (partition by s.orders > 0 order by s.orders, s.member_id) else 0 end as f,
             case when s.orders > 0 then ntile(5) over (partition by s.orders > 0 order by s.revenue, s.member_id) else 0 end as m,
             case when s.orders = 0 then 'none'
                  else case when cume_dist() over (partition by s.orders > 0 order by s.revenue) > ${VALUE_TIER_CUTS.top}::float8 then 'top'
                            when cume_dist() over (partition by s.orders > 0 order by s.revenue) > ${VALUE_TIER_CUTS.high}::float8 then 'high'
                            when cume_dist() over (partition by s.orders > 0 order by s.revenue) > ${VALUE_TIER_CUTS.mid}::float8 then 'mid'
                            else 'low' end end as value_tier
        from stats s`;
    return this.upsert(brandId, this.stats(brandId, asOf), scored, policy, asOf, tx);
  }

  /** One member, placed against the breakpoints of the brand's current distribution. */
  recomputeMember(
    brandId: string,
    memberId: string,
    cuts: Breakpoints,
    policy: LifecyclePolicy,
    asOf: Date,
    tx: Executor,
  ): Promise<RecomputeOutcome> {
    const rank = (column: string, values: Array<string | number>, type: string) =>
      sql`1 + (select count(*) from unnest(${pgArray(values)}::${sql.raw(type)}[]) c where c < s.${sql.raw(column)})`;
    const [top, high, mid] = [cuts.value[2], cuts.value[1], cuts.value[0]];
    const tier =
      top === undefined
        ? sql`'top'`
        : sql`case when s.revenue > ${top} then 'top' when s.revenue > ${high} then 'high'
                   when s.revenue > ${mid} then 'mid' else 'low' end`;
    const scored = sql`
      select s.*,
             case when s.orders > 0 then ${rank(
               'last_at',
               cuts.recency.map((d) => d.toISOString()),
               'timestamptz',
             )} else 0 end as r,
             case when s.orders > 0 then ${rank('orders', cuts.frequency, 'bigint')} else 0 end as f,
             case when s.orders > 0 then ${rank('revenue', cuts.monetary, 'bigint')} else 0 end as m,
             case when s.orders = 0 then 'none' else ${tier} end as value_tier
        from stats s`;
    return this.upsert(brandId, this.stats(brandId, asOf, memberId), scored, policy, asOf, tx);
  }

  async breakpoints(brandId: string, tx?: Executor): Promise<Breakpoints> {
    const result = await this.ex(tx).execute<{
      r: Array<Date | string> | null;
      f: Array<string | number> | null;
      m: Array<string | number> | null;
      v: Array<string | number> | null;
    }>(sql`
      select array_to_json(percentile_disc(array[0.2, 0.4, 0.6, 0.8]) within group (order by last_order_at)) as r,
             array_to_json(percentile_disc(array[0.2, 0.4, 0.6, 0.8]) within group (order by orders)) as f,
             array_to_json(percentile_disc(array[0.2, 0.4, 0.6, 0.8]) within group (order by revenue_minor)) as m,
             array_to_json(percentile_disc(array[${VALUE_TIER_CUTS.mid}::float8, ${VALUE_TIER_CUTS.high}::float8, ${VALUE_TIER_CUTS.top}::float8])
               within group (order by revenue_minor)) as v
        from member_segments
       where brand_id = ${brandId} and orders > 0`);
    const row = result.rows[0];
    // Arrays travel as JSON: the driver hands typed arrays of timestamps back as raw text.
    return {
      recency: (row?.r ?? []).map((d) => new Date(d)),
      frequency: (row?.f ?? []).map(Number),
      monetary: (row?.m ?? []).map(Number),
      value: (row?.v ?? []).map(Number),
    };
  }

  async brandIds(tx?: Executor): Promise<string[]> {
    const rows = await this.ex(tx).select({ id: brands.id }).from(brands).orderBy(brands.id);
    return rows.map((r) => r.id);
  }

  async findMember(
    brandId: string,
    memberId: string,
    tx?: Executor,
  ): Promise<MemberSegmentRow | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(memberSegments)
      .where(and(eq(memberSegments.brandId, brandId), eq(memberSegments.memberId, memberId)));
    return row ?? null;
  }

  async history(
    brandId: string,
    memberId: string,
    limit: number,
    tx?: Executor,
  ): Promise<SegmentHistoryRow[]> {
    return this.ex(tx)
      .select()
      .from(segmentHistory)
      .where(and(eq(segmentHistory.brandId, brandId), eq(segmentHistory.memberId, memberId)))
      .orderBy(desc(segmentHistory.at), desc(segmentHistory.id))
      .limit(limit);
  }

  async summary(brandId: string, tx?: Executor) {
    const result = await this.ex(tx).execute<{ dimension: string; value: string; n: number }>(sql`
      select 'lifecycle' as dimension, lifecycle::text as value, count(*)::int as n
        from member_segments where brand_id = ${brandId} group by lifecycle
      union all
      select 'valueTier', value_tier, count(*)::int from member_segments where brand_id = ${brandId} group by value_tier
      union all
      select 'persona', persona, count(*)::int from member_segments where brand_id = ${brandId} group by persona
      union all
      select 'recency', rfm_r::text, count(*)::int from member_segments where brand_id = ${brandId} group by rfm_r
      union all
      select 'frequency', rfm_f::text, count(*)::int from member_segments where brand_id = ${brandId} group by rfm_f
      union all
      select 'monetary', rfm_m::text, count(*)::int from member_segments where brand_id = ${brandId} group by rfm_m`);
    return result.rows;
  }

  // --- tags ---

  /**
   * Applies a tag rule set-based: members matching `definition` get `tag` (source
   * `rule:<segmentId>`), members tagged by this rule who no longer match lose it. Returns the
   * numbers added and removed.
   */
  async applyTagRule(
    brandId: string,
    rule: { segmentId: string; tag: string; definition: SegmentDefinition },
    tx: Executor,
  ): Promise<{ added: number; removed: number }> {
    const source = `rule:${rule.segmentId}`;
    const condition = this.definitionCondition(brandId, rule.definition);
    const added = await tx.execute(sql`
      insert into member_tags (brand_id, member_id, tag, source)
      select ${brandId}, m.id, ${rule.tag}, ${source} from members m
       where m.brand_id = ${brandId} and ${condition}
      on conflict do nothing`);
    const removed = await tx.execute(sql`
      delete from member_tags t
       where t.brand_id = ${brandId} and t.tag = ${rule.tag} and t.source = ${source}
         and not exists (select 1 from members m
                          where m.brand_id = ${brandId} and m.id = t.member_id and ${condition})`);
    return { added: added.rowCount ?? 0, removed: removed.rowCount ?? 0 };
  }

  /** Named segments that carry a tag rule. */
  tagRules(brandId: string, tx?: Executor): Promise<NamedSegment[]> {
    return this.ex(tx)
      .select()
      .from(segments)
      .where(and(eq(segments.brandId, brandId), sql`${segments.definition} ? 'applyTag'`));
  }

  async putTag(
    brandId: string,
    memberId: string,
    tag: string,
    source: string,
    tx?: Executor,
  ): Promise<boolean> {
    const rows = await this.ex(tx)
      .insert(memberTags)
      .values({ brandId, memberId, tag, source })
      .onConflictDoNothing()
      .returning({ tag: memberTags.tag });
    return rows.length > 0;
  }

  async deleteTag(brandId: string, memberId: string, tag: string, tx?: Executor): Promise<boolean> {
    const rows = await this.ex(tx)
      .delete(memberTags)
      .where(
        and(
          eq(memberTags.brandId, brandId),
          eq(memberTags.memberId, memberId),
          eq(memberTags.tag, tag),
        ),
      )
      .returning({ tag: memberTags.tag });
    return rows.length > 0;
  }

  listTags(brandId: string, memberId: string, tx?: Executor): Promise<MemberTag[]> {
    return this.ex(tx)
      .select()
      .from(memberTags)
      .where(and(eq(memberTags.brandId, brandId), eq(memberTags.memberId, memberId)))
      .orderBy(memberTags.tag);
  }

  // --- named segments ---

  async insertSegment(
    brandId: string,
    values: { name: string; definition: SegmentDefinition },
    tx?: Executor,
  ): Promise<NamedSegment | null> {
    const [row] = await this.ex(tx)
      .insert(segments)
      .values({
        brandId,
        name: values.name,
        definition: values.definition as Record<string, unknown>,
      })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  /** null when missing; throws the unique violation when the new name is taken (service maps it). */
  async updateSegment(
    brandId: string,
    id: string,
    values: { name?: string; definition?: SegmentDefinition },
    tx?: Executor,
  ): Promise<NamedSegment | null> {
    const [row] = await this.ex(tx)
      .update(segments)
      .set({
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values.definition !== undefined
          ? { definition: values.definition as Record<string, unknown> }
          : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(segments.brandId, brandId), eq(segments.id, id)))
      .returning();
    return row ?? null;
  }

  async deleteSegment(brandId: string, id: string, tx?: Executor): Promise<boolean> {
    const rows = await this.ex(tx)
      .delete(segments)
      .where(and(eq(segments.brandId, brandId), eq(segments.id, id)))
      .returning({ id: segments.id });
    return rows.length > 0;
  }

  async findSegment(brandId: string, id: string, tx?: Executor): Promise<NamedSegment | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(segments)
      .where(and(eq(segments.brandId, brandId), eq(segments.id, id)));
    return row ?? null;
  }

  async findSegments(brandId: string, ids: string[], tx?: Executor): Promise<NamedSegment[]> {
    if (!ids.length) return [];
    return this.ex(tx)
      .select()
      .from(segments)
      .where(and(eq(segments.brandId, brandId), inList(sql`${segments.id}::text`, ids)));
  }

  listSegments(
    brandId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(NamedSegment & { cursorAt: string })[]> {
    return this.ex(tx)
      .select({
        brandId: segments.brandId,
        id: segments.id,
        name: segments.name,
        definition: segments.definition,
        createdAt: segments.createdAt,
        updatedAt: segments.updatedAt,
        cursorAt: cursorAt(segments.createdAt),
      })
      .from(segments)
      .where(
        and(
          eq(segments.brandId, brandId),
          page.after ? olderThan(segments.createdAt, segments.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(segments.createdAt), desc(segments.id))
      .limit(page.limit + 1);
  }

  // --- audience matching ---

  /** SQL condition over `m` (a members row) for one definition. */
  private definitionCondition(brandId: string, def: SegmentDefinition): SQL {
    const parts: SQL[] = [];
    const seg: SQL[] = [];
    if (def.lifecycle) seg.push(inList(sql`s.lifecycle::text`, def.lifecycle));
    if (def.valueTiers) seg.push(inList(sql`s.value_tier`, def.valueTiers));
    if (def.personas) seg.push(inList(sql`s.persona`, def.personas));
    for (const [key, column] of [
      ['recency', 's.rfm_r'],
      ['frequency', 's.rfm_f'],
      ['monetary', 's.rfm_m'],
    ] as const) {
      const range = def[key];
      if (range?.min !== undefined) seg.push(sql`${sql.raw(column)} >= ${range.min}`);
      if (range?.max !== undefined) seg.push(sql`${sql.raw(column)} <= ${range.max}`);
    }
    if (def.minOrders !== undefined) seg.push(sql`s.orders >= ${def.minOrders}`);
    if (def.maxOrders !== undefined) seg.push(sql`s.orders <= ${def.maxOrders}`);
    if (seg.length)
      parts.push(sql`exists (select 1 from member_segments s
        where s.brand_id = ${brandId} and s.member_id = m.id and ${sql.join(seg, sql` and `)})`);
    if (def.tags)
      parts.push(sql`exists (select 1 from member_tags t
        where t.brand_id = ${brandId} and t.member_id = m.id and ${inList(sql`t.tag`, def.tags)})`);
    if (def.tierIds)
      parts.push(sql`exists (select 1 from member_tiers mt
        where mt.brand_id = ${brandId} and mt.member_id = m.id and ${inList(sql`mt.tier_id::text`, def.tierIds)})`);
    if (def.communityIds)
      parts.push(sql`exists (select 1 from community_members cm
        where cm.brand_id = ${brandId} and cm.member_id = m.id and ${inList(sql`cm.community_id::text`, def.communityIds)})`);
    const p = def.prediction;
    if (p) {
      const pred: SQL[] = [];
      if (p.p7Min !== undefined) pred.push(sql`mp.p7 >= ${p.p7Min}`);
      if (p.p28Min !== undefined) pred.push(sql`mp.p28 >= ${p.p28Min}`);
      if (p.pAliveMin !== undefined) pred.push(sql`mp.p_alive >= ${p.pAliveMin}`);
      if (p.pAliveMax !== undefined) pred.push(sql`mp.p_alive <= ${p.pAliveMax}`);
      if (p.clv12mMinMinor !== undefined) pred.push(sql`mp.clv_12m_minor >= ${p.clv12mMinMinor}`);
      parts.push(sql`exists (select 1 from member_predictions mp
        where mp.brand_id = ${brandId} and mp.member_id = m.id
        ${pred.length ? sql`and ${sql.join(pred, sql` and `)}` : sql``})`);
    }
    return parts.length ? sql.join(parts, sql` and `) : sql`true`;
  }

  private audienceCondition(brandId: string, audience: ResolvedAudience): SQL {
    const all = this.definitionCondition(brandId, audience.all);
    if (!audience.anyOf) return all;
    const any = audience.anyOf.length
      ? sql.join(
          audience.anyOf.map((d) => sql`(${this.definitionCondition(brandId, d)})`),
          sql` or `,
        )
      : sql`false`;
    return sql`(${all}) and (${any})`;
  }

  async countMatching(brandId: string, audience: ResolvedAudience, tx?: Executor): Promise<number> {
    const result = await this.ex(tx).execute<{ n: number }>(sql`
      select count(*)::int as n from members m
       where m.brand_id = ${brandId} and ${this.audienceCondition(brandId, audience)}`);
    return result.rows[0]?.n ?? 0;
  }

  async memberMatches(
    brandId: string,
    memberId: string,
    audience: ResolvedAudience,
    tx?: Executor,
  ): Promise<boolean> {
    const result = await this.ex(tx).execute<{ ok: boolean }>(sql`
      select exists (select 1 from members m
        where m.brand_id = ${brandId} and m.id = ${memberId}
          and ${this.audienceCondition(brandId, audience)}) as ok`);
    return result.rows[0]?.ok === true;
  }

  async listMatching(
    brandId: string,
    audience: ResolvedAudience,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<SegmentMemberRow[]> {
    const after = page.after
      ? sql`and (m.created_at, m.id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)`
      : sql``;
    const result = await this.ex(tx).execute<SegmentMemberRow>(sql`
      select m.id, m.email, m.first_name as "firstName", m.last_name as "lastName",
             to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursorAt",
             s.lifecycle::text as lifecycle, s.value_tier as "valueTier", s.persona,
             s.rfm_r as recency, s.rfm_f as frequency, s.rfm_m as monetary,
             s.orders, s.revenue_minor::float8 as "revenueMinor", s.last_order_at as "lastOrderAt"
        from members m
        left join member_segments s on s.brand_id = m.brand_id and s.member_id = m.id
       where m.brand_id = ${brandId} and ${this.audienceCondition(brandId, audience)} ${after}
       order by m.created_at desc, m.id desc
       limit ${page.limit + 1}`);
    return result.rows;
  }
}
