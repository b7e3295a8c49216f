import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, moderationCases, moderationRules } from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';

export type ModerationRule = typeof moderationRules.$inferSelect;
export type ModerationRuleValues = Pick<
  ModerationRule,
  'name' | 'match' | 'pattern' | 'action' | 'active'
>;
export type ModerationCase = typeof moderationCases.$inferSelect;
export type ModerationTargetType = ModerationCase['targetType'];
export type CaseReason = ModerationCase['reason'];

export interface OpenCaseInput {
  targetType: ModerationTargetType;
  targetId: string;
  communityId: string | null;
  memberId: string;
  reason: CaseReason;
  ruleIds?: string[];
}

/** All SQL of moderation rules, reports, cases, actions and sanctions. Every method is scoped by brand. */
@Injectable()
export class ModerationRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  // ---- rules

  listActiveRules(brandId: string, tx?: Executor): Promise<ModerationRule[]> {
    return this.ex(tx)
      .select()
      .from(moderationRules)
      .where(and(eq(moderationRules.brandId, brandId), eq(moderationRules.active, true)));
  }

  /** Newest first, keyset on (created_at, id). */
  listRules(
    brandId: string,
    limit: number,
    after: CreatedAtPosition | null,
    tx?: Executor,
  ): Promise<(ModerationRule & { cursorAt: string })[]> {
    return this.ex(tx)
      .select({
        brandId: moderationRules.brandId,
        id: moderationRules.id,
        name: moderationRules.name,
        match: moderationRules.match,
        pattern: moderationRules.pattern,
        action: moderationRules.action,
        active: moderationRules.active,
        createdAt: moderationRules.createdAt,
        updatedAt: moderationRules.updatedAt,
        cursorAt: cursorAt(moderationRules.createdAt),
      })
      .from(moderationRules)
      .where(
        and(
          eq(moderationRules.brandId, brandId),
          after ? olderThan(moderationRules.createdAt, moderationRules.id, after) : undefined,
        ),
      )
      .orderBy(desc(moderationRules.createdAt), desc(moderationRules.id))
      .limit(limit + 1);
  }

  async findRule(brandId: string, id: string, tx?: Executor): Promise<ModerationRule | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(moderationRules)
      .where(and(eq(moderationRules.brandId, brandId), eq(moderationRules.id, id)));
    return row ?? null;
  }

  async insertRule(
    brandId: string,
    values: ModerationRuleValues,
    tx?: Executor,
  ): Promise<ModerationRule> {
    const [row] = await this.ex(tx)
      .insert(moderationRules)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  async updateRule(
    brandId: string,
    id: string,
    changes: Partial<ModerationRuleValues>,
    tx?: Executor,
  ): Promise<ModerationRule | null> {
    const [row] = await this.ex(tx)
      .update(moderationRules)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(moderationRules.brandId, brandId), eq(moderationRules.id, id)))
      .returning();
    return row ?? null;
  }

  async deleteRule(brandId: string, id: string, tx?: Executor): Promise<boolean> {
    const rows = await this.ex(tx)
      .delete(moderationRules)
      .where(and(eq(moderationRules.brandId, brandId), eq(moderationRules.id, id)))
      .returning({ id: moderationRules.id });
    return rows.length > 0;
  }

  async ruleNames(brandId: string, ids: string[], tx?: Executor): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.ex(tx)
      .select({ id: moderationRules.id, name: moderationRules.name })
      .from(moderationRules)
      .where(
        and(
          eq(moderationRules.brandId, brandId),
          sql`${moderationRules.id} = any(${sql.param(ids)}::uuid[])`,
        ),
      )
      .orderBy(asc(moderationRules.name));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  // ---- cases

  /**
   * Opens THE open case of a target or joins it, atomically on moderation_cases_open_key (so
   * concurrent reports converge on one row): a report adds one to report_count, rule ids are
   * merged, and the reason becomes the most urgent one (held > reported > flagged).
   */
  async openCase(brandId: string, input: OpenCaseInput, tx?: Executor): Promise<string> {
    const reportDelta = input.reason === 'reported' ? 1 : 0;
    const [row] = await this.ex(tx)
      .insert(moderationCases)
      .values({
        brandId,
        targetType: input.targetType,
        targetId: input.targetId,
        communityId: input.communityId,
        memberId: input.memberId,
        reason: input.reason,
        ruleIds: input.ruleIds ?? [],
        reportCount: reportDelta,
      })
      .onConflictDoUpdate({
        target: [moderationCases.brandId, moderationCases.targetType, moderationCases.targetId],
        targetWhere: sql`${moderationCases.status} = 'open'`,
        set: {
          reportCount: sql`${moderationCases.reportCount} + ${reportDelta}`,
          ruleIds: sql`(select coalesce(jsonb_agg(distinct r), '[]'::jsonb)
            from jsonb_array_elements(${moderationCases.ruleIds} || excluded.rule_ids) as r)`,
          reason: sql`case
            when ${moderationCases.reason} = 'held' or excluded.reason = 'held' then 'held'
            when ${moderationCases.reason} = 'reported' or excluded.reason = 'reported' then 'reported'
            else 'flagged' end::moderation_case_reason`,
        },
      })
      .returning({ id: moderationCases.id });
    return row.id;
  }
}
