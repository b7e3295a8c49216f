import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, asc, desc, eq, getTableColumns, gt, inArray, or, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  comments,
  communities,
  communityMembers,
  communitySanctions,
  contentReports,
  dropChatMessages,
  members,
  moderationActions,
  moderationCases,
  moderationRules,
  posts,
  reviews,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';

export type ModerationRule = typeof moderationRules.$inferSelect;
export type ModerationRuleValues = Pick<
  ModerationRule,
  'name' | 'match' | 'pattern' | 'action' | 'active'
>;
export type ModerationCase = typeof moderationCases.$inferSelect;
export type ModerationTargetType = ModerationCase['targetType'];
export type CaseReason = ModerationCase['reason'];

export type ContentStatus = (typeof posts.$inferSelect)['status'];
export type ContentTargetType = 'post' | 'comment' | 'review';
export type ModerationActionRow = typeof moderationActions.$inferSelect;
export type NewModerationAction = Omit<ModerationActionRow, 'brandId' | 'id' | 'createdAt'>;
export type ContentReport = typeof contentReports.$inferSelect;
export type Sanction = typeof communitySanctions.$inferSelect;
export type SanctionKind = Sanction['kind'];
export type ReportReason = ContentReport['reason'];

/** A drop chat message as moderation sees it. */
export interface ModeratedChatMessage {
  id: string;
  dropId: string;
  memberId: string;
  text: string;
  status: ContentStatus;
}

/** A post, comment or review as moderation sees it. */
export interface ModerationTarget {
  targetType: ContentTargetType;
  id: string;
  authorId: string;
  /** The community it lives in: a post's, a comment's post's, a shared review's; else null. */
  communityId: string | null;
  status: ContentStatus;
  approvedAt: Date | null;
  text: string;
  /** Comments: their post. */
  postId: string | null;
  /** Reviews: product and rating (for review events). */
  productId: string | null;
  rating: number | null;
}

export interface QueueFilter {
  /** Null: every community (and cases outside any community); else only these communities. */
  communityIds: string[] | null;
  reason?: CaseReason;
}

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
        ...getTableColumns(moderationRules),
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

  async findCase(brandId: string, id: string, tx?: Executor): Promise<ModerationCase | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(moderationCases)
      .where(and(eq(moderationCases.brandId, brandId), eq(moderationCases.id, id)));
    return row ?? null;
  }

  /** The open case of a target, locked so two decisions on it serialise. */
  async findOpenCaseForUpdate(
    brandId: string,
    targetType: ModerationTargetType,
    targetId: string,
    tx: Executor,
  ): Promise<ModerationCase | null> {
    const [row] = await tx
      .select()
      .from(moderationCases)
      .where(
        and(
          eq(moderationCases.brandId, brandId),
          eq(moderationCases.targetType, targetType),
          eq(moderationCases.targetId, targetId),
          eq(moderationCases.status, 'open'),
        ),
      )
      .for('update');
    return row ?? null;
  }

  async resolveCase(brandId: string, id: string, resolution: string, tx: Executor): Promise<void> {
    await tx
      .update(moderationCases)
      .set({ status: 'resolved', resolution, resolvedAt: new Date() })
      .where(and(eq(moderationCases.brandId, brandId), eq(moderationCases.id, id)));
  }

  /** Open cases oldest first, keyset on (opened_at, id). */
  listOpenCases(
    brandId: string,
    filter: QueueFilter,
    limit: number,
    after: CreatedAtPosition | null,
    tx?: Executor,
  ): Promise<(ModerationCase & { cursorAt: string })[]> {
    const conditions: (SQL | undefined)[] = [
      eq(moderationCases.brandId, brandId),
      eq(moderationCases.status, 'open'),
      filter.communityIds ? inArray(moderationCases.communityId, filter.communityIds) : undefined,
      filter.reason ? eq(moderationCases.reason, filter.reason) : undefined,
      after
        ? sql`(${moderationCases.openedAt}, ${moderationCases.id}) > (${after.at}::timestamptz, ${after.id}::uuid)`
        : undefined,
    ];
    return this.ex(tx)
      .select({ ...getTableColumns(moderationCases), cursorAt: cursorAt(moderationCases.openedAt) })
      .from(moderationCases)
      .where(and(...conditions))
      .orderBy(asc(moderationCases.openedAt), asc(moderationCases.id))
      .limit(limit + 1);
  }

  /**
   * Report reasons per case: { caseId → { reason → count } }. Looked up by target first, so the
   * content_reports_once_key index (brand, target type, target id, …) serves the query.
   */
  async reportReasons(
    brandId: string,
    cases: Pick<ModerationCase, 'id' | 'targetType' | 'targetId'>[],
    tx?: Executor,
  ): Promise<Map<string, Partial<Record<ReportReason, number>>>> {
    const result = new Map<string, Partial<Record<ReportReason, number>>>();
    if (!cases.length) return result;
    const byType = new Map<ModerationTargetType, string[]>();
    for (const c of cases)
      byType.set(c.targetType, [...(byType.get(c.targetType) ?? []), c.targetId]);
    const rows = await this.ex(tx)
      .select({
        caseId: contentReports.caseId,
        reason: contentReports.reason,
        n: sql<number>`count(*)::int`,
      })
      .from(contentReports)
      .where(
        and(
          eq(contentReports.brandId, brandId),
          or(
            ...[...byType].map(([type, ids]) =>
              and(eq(contentReports.targetType, type), inArray(contentReports.targetId, ids)),
            ),
          ),
          inArray(
            contentReports.caseId,
            cases.map((c) => c.id),
          ),
        ),
      )
      .groupBy(contentReports.caseId, contentReports.reason);
    for (const row of rows) {
      if (!row.caseId) continue;
      const reasons = result.get(row.caseId) ?? {};
      reasons[row.reason] = row.n;
      result.set(row.caseId, reasons);
    }
    return result;
  }

  // ---- content targets

  /** A post, comment or review of the brand; `forUpdate` locks its row for a decision. */
  async findTarget(
    brandId: string,
    targetType: ContentTargetType,
    id: string,
    tx?: Executor,
    options: { forUpdate?: boolean } = {},
  ): Promise<ModerationTarget | null> {
    const [target] = await this.findTargets(brandId, targetType, [id], tx, options);
    return target ?? null;
  }

  async findTargets(
    brandId: string,
    targetType: ContentTargetType,
    ids: string[],
    tx?: Executor,
    options: { forUpdate?: boolean } = {},
  ): Promise<ModerationTarget[]> {
    if (!ids.length) return [];
    const ex = this.ex(tx);
    if (targetType === 'post') {
      const query = ex
        .select()
        .from(posts)
        .where(and(eq(posts.brandId, brandId), inArray(posts.id, ids)));
      const rows = options.forUpdate ? await query.for('update') : await query;
      return rows.map((p) => ({
        targetType,
        id: p.id,
        authorId: p.authorId,
        communityId: p.communityId,
        status: p.status,
        approvedAt: p.approvedAt,
        text: p.body,
        postId: null,
        productId: null,
        rating: null,
      }));
    }
    if (targetType === 'comment') {
      const query = ex
        .select({ comment: comments, communityId: posts.communityId })
        .from(comments)
        .innerJoin(posts, and(eq(posts.brandId, comments.brandId), eq(posts.id, comments.postId)))
        .where(and(eq(comments.brandId, brandId), inArray(comments.id, ids)));
      const rows = options.forUpdate ? await query.for('update', { of: comments }) : await query;
      return rows.map(({ comment: c, communityId }) => ({
        targetType,
        id: c.id,
        authorId: c.authorId,
        communityId,
        status: c.status,
        approvedAt: null,
        text: c.body,
        postId: c.postId,
        productId: null,
        rating: null,
      }));
    }
    const query = ex
      .select()
      .from(reviews)
      .where(and(eq(reviews.brandId, brandId), inArray(reviews.id, ids)));
    const rows = options.forUpdate ? await query.for('update') : await query;
    return rows.map((r) => ({
      targetType,
      id: r.id,
      authorId: r.memberId,
      communityId: r.communityId,
      status: r.status,
      approvedAt: r.approvedAt,
      text: r.title ? `${r.title}\n${r.body}` : r.body,
      postId: null,
      productId: r.productId,
      rating: r.rating,
    }));
  }

  /**
   * Sets the status of a post, comment or review; publishing also stamps approved_at the first
   * time. A review's shared post (posts.review_id) follows it; the shared posts are returned so
   * their community feeds can be told.
   */
  /**
   * Drop chat messages named by moderation cases, with the status a moderator reads: a message
   * the screening held is stored as 'deleted' without a deletion time (ADR 0015), so it shows as
   * 'held'; one a moderator deleted shows as 'removed'.
   */
  async chatMessages(
    brandId: string,
    ids: string[],
    tx?: Executor,
    options: { forUpdate?: boolean } = {},
  ): Promise<ModeratedChatMessage[]> {
    if (!ids.length) return [];
    const query = this.ex(tx)
      .select({
        id: dropChatMessages.id,
        dropId: dropChatMessages.dropId,
        memberId: dropChatMessages.memberId,
        text: dropChatMessages.body,
        status: dropChatMessages.status,
        deletedAt: dropChatMessages.deletedAt,
      })
      .from(dropChatMessages)
      .where(and(eq(dropChatMessages.brandId, brandId), inArray(dropChatMessages.id, ids)));
    const rows = options.forUpdate ? await query.for('update') : await query;
    return rows.map(({ deletedAt, ...r }) => ({
      ...r,
      status: r.status === 'published' ? 'published' : deletedAt ? 'removed' : 'held',
    }));
  }

  /** Takes a held chat message down for good (it stays 'deleted', now with a deletion time). */
  async removeHeldChatMessage(brandId: string, id: string, tx: Executor): Promise<void> {
    await tx
      .update(dropChatMessages)
      .set({ deletedAt: new Date() })
      .where(
        and(
          eq(dropChatMessages.brandId, brandId),
          eq(dropChatMessages.id, id),
          eq(dropChatMessages.status, 'deleted'),
          sql`${dropChatMessages.deletedAt} is null`,
        ),
      );
  }

  async setTargetStatus(
    brandId: string,
    targetType: ContentTargetType,
    id: string,
    status: ContentStatus,
    tx: Executor,
  ): Promise<{ postId: string; communityId: string }[]> {
    const now = new Date();
    const approvedAt =
      status === 'published'
        ? sql`coalesce(approved_at, ${now.toISOString()}::timestamptz)`
        : undefined;
    if (targetType === 'post') {
      await tx
        .update(posts)
        .set({ status, updatedAt: now, ...(approvedAt ? { approvedAt } : {}) })
        .where(and(eq(posts.brandId, brandId), eq(posts.id, id)));
      return [];
    }
    if (targetType === 'comment') {
      await tx
        .update(comments)
        .set({ status, updatedAt: now })
        .where(and(eq(comments.brandId, brandId), eq(comments.id, id)));
      return [];
    }
    await tx
      .update(reviews)
      .set({ status, updatedAt: now, ...(approvedAt ? { approvedAt } : {}) })
      .where(and(eq(reviews.brandId, brandId), eq(reviews.id, id)));
    return tx
      .update(posts)
      .set({ status, updatedAt: now, ...(approvedAt ? { approvedAt } : {}) })
      .where(
        and(eq(posts.brandId, brandId), eq(posts.reviewId, id), sql`${posts.status} <> 'deleted'`),
      )
      .returning({ postId: posts.id, communityId: posts.communityId });
  }

  // ---- reports

  /** Null when this reporter already reported this target (content_reports_once_key). */
  async insertReport(
    brandId: string,
    values: Pick<ContentReport, 'targetType' | 'targetId' | 'reporterId' | 'reason' | 'note'>,
    tx: Executor,
  ): Promise<ContentReport | null> {
    const [row] = await tx
      .insert(contentReports)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async setReportCase(
    brandId: string,
    reportId: string,
    caseId: string,
    tx: Executor,
  ): Promise<void> {
    await tx
      .update(contentReports)
      .set({ caseId })
      .where(and(eq(contentReports.brandId, brandId), eq(contentReports.id, reportId)));
  }

  // ---- audit trail

  async insertAction(
    brandId: string,
    values: NewModerationAction,
    tx: Executor,
  ): Promise<ModerationActionRow> {
    const [row] = await tx
      .insert(moderationActions)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  /** Newest first, keyset on (created_at, id). */
  listActions(
    brandId: string,
    filter: { targetId?: string; memberId?: string; communityIds?: string[] | null },
    limit: number,
    after: CreatedAtPosition | null,
    tx?: Executor,
  ): Promise<(ModerationActionRow & { cursorAt: string })[]> {
    return this.ex(tx)
      .select({
        ...getTableColumns(moderationActions),
        cursorAt: cursorAt(moderationActions.createdAt),
      })
      .from(moderationActions)
      .where(
        and(
          eq(moderationActions.brandId, brandId),
          filter.targetId ? eq(moderationActions.targetId, filter.targetId) : undefined,
          filter.memberId ? eq(moderationActions.memberId, filter.memberId) : undefined,
          filter.communityIds
            ? inArray(moderationActions.communityId, filter.communityIds)
            : undefined,
          after ? olderThan(moderationActions.createdAt, moderationActions.id, after) : undefined,
        ),
      )
      .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
      .limit(limit + 1);
  }

  // ---- communities, roles and sanctions

  async findCommunity(
    brandId: string,
    id: string,
    tx?: Executor,
  ): Promise<{ id: string; name: string } | null> {
    const [row] = await this.ex(tx)
      .select({ id: communities.id, name: communities.name })
      .from(communities)
      .where(and(eq(communities.brandId, brandId), eq(communities.id, id)));
    return row ?? null;
  }

  async communityNames(
    brandId: string,
    ids: string[],
    tx?: Executor,
  ): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.ex(tx)
      .select({ id: communities.id, name: communities.name })
      .from(communities)
      .where(and(eq(communities.brandId, brandId), inArray(communities.id, ids)));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async memberNames(
    brandId: string,
    ids: string[],
    tx?: Executor,
  ): Promise<Map<string, string | null>> {
    if (!ids.length) return new Map();
    const rows = await this.ex(tx)
      .select({ id: members.id, firstName: members.firstName, lastName: members.lastName })
      .from(members)
      .where(and(eq(members.brandId, brandId), inArray(members.id, ids)));
    return new Map(
      rows.map((r) => [r.id, [r.firstName, r.lastName].filter(Boolean).join(' ') || null]),
    );
  }

  async memberExists(brandId: string, id: string, tx?: Executor): Promise<boolean> {
    const [row] = await this.ex(tx)
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.brandId, brandId), eq(members.id, id)));
    return Boolean(row);
  }

  /** The member's role in a community, or null when not a member. */
  async communityRole(
    brandId: string,
    communityId: string,
    memberId: string,
    tx?: Executor,
  ): Promise<(typeof communityMembers.$inferSelect)['role'] | null> {
    const [row] = await this.ex(tx)
      .select({ role: communityMembers.role })
      .from(communityMembers)
      .where(
        and(
          eq(communityMembers.brandId, brandId),
          eq(communityMembers.communityId, communityId),
          eq(communityMembers.memberId, memberId),
        ),
      );
    return row?.role ?? null;
  }

  /** Communities the member moderates (role moderator or owner in community_members). */
  async moderatedCommunityIds(brandId: string, memberId: string, tx?: Executor): Promise<string[]> {
    const rows = await this.ex(tx)
      .select({ id: communityMembers.communityId })
      .from(communityMembers)
      .where(
        and(
          eq(communityMembers.brandId, brandId),
          eq(communityMembers.memberId, memberId),
          inArray(communityMembers.role, ['moderator', 'owner']),
        ),
      );
    return rows.map((r) => r.id);
  }

  /** Creates or replaces the member's mute/ban in a community (one row per kind). */
  async upsertSanction(
    brandId: string,
    values: Omit<Sanction, 'brandId' | 'createdAt'>,
    tx: Executor,
  ): Promise<Sanction> {
    const [row] = await tx
      .insert(communitySanctions)
      .values({ ...values, brandId })
      .onConflictDoUpdate({
        target: [
          communitySanctions.brandId,
          communitySanctions.communityId,
          communitySanctions.memberId,
          communitySanctions.kind,
        ],
        set: {
          until: values.until,
          reason: values.reason,
          actorType: values.actorType,
          actorId: values.actorId,
          createdAt: new Date(),
        },
      })
      .returning();
    return row;
  }

  /** Lifts a sanction that is still in force; false when there was none. */
  async deleteActiveSanction(
    brandId: string,
    communityId: string,
    memberId: string,
    kind: SanctionKind,
    tx: Executor,
  ): Promise<boolean> {
    const rows = await tx
      .delete(communitySanctions)
      .where(
        and(
          eq(communitySanctions.brandId, brandId),
          eq(communitySanctions.communityId, communityId),
          eq(communitySanctions.memberId, memberId),
          eq(communitySanctions.kind, kind),
          gt(communitySanctions.until, new Date()),
        ),
      )
      .returning({ memberId: communitySanctions.memberId });
    return rows.length > 0;
  }

  /** Removes a membership and keeps communities.member_count in step; false when none existed. */
  async removeMembership(
    brandId: string,
    communityId: string,
    memberId: string,
    tx: Executor,
  ): Promise<boolean> {
    const rows = await tx
      .delete(communityMembers)
      .where(
        and(
          eq(communityMembers.brandId, brandId),
          eq(communityMembers.communityId, communityId),
          eq(communityMembers.memberId, memberId),
        ),
      )
      .returning({ memberId: communityMembers.memberId });
    if (!rows.length) return false;
    await tx
      .update(communities)
      .set({ memberCount: sql`greatest(${communities.memberCount} - 1, 0)` })
      .where(and(eq(communities.brandId, brandId), eq(communities.id, communityId)));
    return true;
  }
}
