import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, reactions } from '@app/db';

export type ReactionTargetType = (typeof reactions.$inferSelect)['targetType'];
export type ReactionKind = (typeof reactions.$inferSelect)['kind'];
export const REACTION_KINDS: ReactionKind[] = [...reactions.kind.enumValues];

export interface ReactionTarget {
  targetType: ReactionTargetType;
  targetId: string;
}

@Injectable()
export class ReactionsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private key(brandId: string, target: ReactionTarget, memberId: string) {
    return and(
      eq(reactions.brandId, brandId),
      eq(reactions.targetType, target.targetType),
      eq(reactions.targetId, target.targetId),
      eq(reactions.memberId, memberId),
    );
  }

  /**
   * Sets the member's reaction (one per member per target). `created` is true when there was
   * none before — only then does the target's counter move; a new kind replaces the old one.
   */
  async upsert(
    brandId: string,
    target: ReactionTarget,
    memberId: string,
    kind: ReactionKind,
    tx: Executor,
  ): Promise<{ created: boolean }> {
    const [row] = await tx
      .insert(reactions)
      .values({ brandId, ...target, memberId, kind })
      .onConflictDoUpdate({
        target: [reactions.brandId, reactions.targetType, reactions.targetId, reactions.memberId],
        set: { kind },
      })
      // xmax = 0 only on a freshly inserted row version (not on the conflict update).
      .returning({ created: sql<boolean>`(xmax = 0)` });
    return { created: Boolean(row?.created) };
  }

  async delete(
    brandId: string,
    target: ReactionTarget,
    memberId: string,
    tx: Executor,
  ): Promise<boolean> {
    const rows = await tx
      .delete(reactions)
      .where(this.key(brandId, target, memberId))
      .returning({ memberId: reactions.memberId });
    return rows.length > 0;
  }

  /** Reactions of a target per kind (every kind present, zero when none). */
  async countsByKind(
    brandId: string,
    target: ReactionTarget,
    tx?: Executor,
  ): Promise<Record<ReactionKind, number>> {
    const rows = await (tx ?? this.client.db)
      .select({ kind: reactions.kind, n: sql<number>`count(*)::int` })
      .from(reactions)
      .where(
        and(
          eq(reactions.brandId, brandId),
          eq(reactions.targetType, target.targetType),
          eq(reactions.targetId, target.targetId),
        ),
      )
      .groupBy(reactions.kind);
    const counts = Object.fromEntries(REACTION_KINDS.map((k) => [k, 0])) as Record<
      ReactionKind,
      number
    >;
    for (const row of rows) counts[row.kind] = row.n;
    return counts;
  }

  /** The member's reaction kind on each of these targets. */
  async kindsOf(
    brandId: string,
    memberId: string,
    targetType: ReactionTargetType,
    targetIds: string[],
    tx?: Executor,
  ): Promise<Map<string, ReactionKind>> {
    if (!targetIds.length) return new Map();
    const rows = await (tx ?? this.client.db)
      .select({ targetId: reactions.targetId, kind: reactions.kind })
      .from(reactions)
      .where(
        and(
          eq(reactions.brandId, brandId),
          eq(reactions.memberId, memberId),
          eq(reactions.targetType, targetType),
          inArray(reactions.targetId, targetIds),
        ),
      );
    return new Map(rows.map((r) => [r.targetId, r.kind]));
  }
}
