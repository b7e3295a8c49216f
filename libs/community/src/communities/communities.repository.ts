import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, gt, inArray, isNull, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  communities,
  communityInvites,
  communityMembers,
  communitySanctions,
  members,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';
import type { CommunityRole } from './community-access';

export type Community = typeof communities.$inferSelect;
export type NewCommunity = Pick<
  typeof communities.$inferInsert,
  'slug' | 'name' | 'description' | 'visibility' | 'rules'
>;
export type CommunityChanges = Partial<NewCommunity>;
export type CommunityMember = typeof communityMembers.$inferSelect;

export interface Sanctions {
  bannedUntil: Date | null;
  mutedUntil: Date | null;
}

const PG_UNIQUE_VIOLATION = '23505';

/** True when `error` is a unique violation of `constraint` (drizzle wraps the pg error in `cause`). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint?: string };
    if (pg.code === PG_UNIQUE_VIOLATION && pg.constraint === constraint) return true;
  }
  return false;
}

@Injectable()
export class CommunitiesRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  async insert(brandId: string, values: NewCommunity, tx?: Executor): Promise<Community> {
    const [row] = await (tx ?? this.client.db)
      .insert(communities)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  async findById(
    brandId: string,
    id: string,
    tx?: Executor,
    lock?: 'update',
  ): Promise<Community | null> {
    const query = (tx ?? this.client.db)
      .select()
      .from(communities)
      .where(and(eq(communities.brandId, brandId), eq(communities.id, id)))
      .limit(1);
    const [row] = lock ? await query.for(lock) : await query;
    return row ?? null;
  }

  async update(
    brandId: string,
    id: string,
    changes: CommunityChanges & { archivedAt?: Date | null },
    tx?: Executor,
  ): Promise<Community | null> {
    const [row] = await (tx ?? this.client.db)
      .update(communities)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(communities.brandId, brandId), eq(communities.id, id)))
      .returning();
    return row ?? null;
  }

  /** Newest first; archived ones only when asked. */
  async list(
    brandId: string,
    page: { limit: number; after?: CreatedAtPosition; includeArchived: boolean },
    tx?: Executor,
  ): Promise<(Community & { cursorAt: string })[]> {
    return (tx ?? this.client.db)
      .select({ ...getTableColumns(communities), cursorAt: cursorAt(communities.createdAt) })
      .from(communities)
      .where(
        and(
          eq(communities.brandId, brandId),
          page.includeArchived ? undefined : isNull(communities.archivedAt),
          page.after ? olderThan(communities.createdAt, communities.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(communities.createdAt), desc(communities.id))
      .limit(page.limit + 1);
  }

  /** Adds (or changes) counters; used in the transaction that adds or removes the counted rows. */
  async addToCounters(
    brandId: string,
    id: string,
    delta: { members?: number; posts?: number },
    tx: Executor,
  ): Promise<void> {
    await tx
      .update(communities)
      .set({
        memberCount: sql`${communities.memberCount} + ${delta.members ?? 0}`,
        postCount: sql`${communities.postCount} + ${delta.posts ?? 0}`,
      })
      .where(and(eq(communities.brandId, brandId), eq(communities.id, id)));
  }

  // ---- membership ---------------------------------------------------------------------------

  async findMembership(
    brandId: string,
    communityId: string,
    memberId: string,
    tx?: Executor,
  ): Promise<CommunityMember | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(communityMembers)
      .where(
        and(
          eq(communityMembers.brandId, brandId),
          eq(communityMembers.communityId, communityId),
          eq(communityMembers.memberId, memberId),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  /** Roles of `memberId` in these communities. */
  async rolesOf(
    brandId: string,
    memberId: string,
    communityIds: string[],
    tx?: Executor,
  ): Promise<Map<string, CommunityRole>> {
    if (!communityIds.length) return new Map();
    const rows = await (tx ?? this.client.db)
      .select({ communityId: communityMembers.communityId, role: communityMembers.role })
      .from(communityMembers)
      .where(
        and(
          eq(communityMembers.brandId, brandId),
          eq(communityMembers.memberId, memberId),
          inArray(communityMembers.communityId, communityIds),
        ),
      );
    return new Map(rows.map((r) => [r.communityId, r.role]));
  }

  /** Inserts the membership; null when the member already belonged (nothing changes then). */
  async insertMembership(
    brandId: string,
    values: { communityId: string; memberId: string; role?: CommunityRole },
    tx: Executor,
  ): Promise<CommunityMember | null> {
    const [row] = await tx
      .insert(communityMembers)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async deleteMembership(
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
    return rows.length > 0;
  }

  async setRole(
    brandId: string,
    communityId: string,
    memberId: string,
    role: CommunityRole,
    tx?: Executor,
  ): Promise<CommunityMember | null> {
    const [row] = await (tx ?? this.client.db)
      .update(communityMembers)
      .set({ role })
      .where(
        and(
          eq(communityMembers.brandId, brandId),
          eq(communityMembers.communityId, communityId),
          eq(communityMembers.memberId, memberId),
        ),
      )
      .returning();
    return row ?? null;
  }

  /** Members of a community, most recent joiners first. */
  async listMembers(
    brandId: string,
    communityId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(CommunityMember & { id: string; displayName: string; cursorAt: string })[]> {
    return (tx ?? this.client.db)
      .select({
        ...getTableColumns(communityMembers),
        id: communityMembers.memberId,
        displayName: sql<string>`coalesce(nullif(trim(${members.firstName}), ''), 'Member')`,
        cursorAt: cursorAt(communityMembers.joinedAt),
      })
      .from(communityMembers)
      .innerJoin(
        members,
        and(
          eq(members.brandId, communityMembers.brandId),
          eq(members.id, communityMembers.memberId),
        ),
      )
      .where(
        and(
          eq(communityMembers.brandId, brandId),
          eq(communityMembers.communityId, communityId),
          page.after
            ? olderThan(communityMembers.joinedAt, communityMembers.memberId, page.after)
            : undefined,
        ),
      )
      .orderBy(desc(communityMembers.joinedAt), desc(communityMembers.memberId))
      .limit(page.limit + 1);
  }

  async memberExists(brandId: string, memberId: string, tx?: Executor): Promise<boolean> {
    const [row] = await (tx ?? this.client.db)
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.brandId, brandId), eq(members.id, memberId)))
      .limit(1);
    return Boolean(row);
  }

  // ---- invites ------------------------------------------------------------------------------

  /** Idempotent: a second invite of the same member keeps the first. */
  async insertInvite(
    brandId: string,
    values: { communityId: string; memberId: string; invitedByType: string; invitedById: string },
    tx?: Executor,
  ): Promise<void> {
    await (tx ?? this.client.db)
      .insert(communityInvites)
      .values({ ...values, brandId })
      .onConflictDoNothing();
  }

  async hasInvite(
    brandId: string,
    communityId: string,
    memberId: string,
    tx?: Executor,
  ): Promise<boolean> {
    const [row] = await (tx ?? this.client.db)
      .select({ memberId: communityInvites.memberId })
      .from(communityInvites)
      .where(
        and(
          eq(communityInvites.brandId, brandId),
          eq(communityInvites.communityId, communityId),
          eq(communityInvites.memberId, memberId),
        ),
      )
      .limit(1);
    return Boolean(row);
  }

  async markInviteAccepted(
    brandId: string,
    communityId: string,
    memberId: string,
    tx: Executor,
  ): Promise<void> {
    await tx
      .update(communityInvites)
      .set({ acceptedAt: new Date() })
      .where(
        and(
          eq(communityInvites.brandId, brandId),
          eq(communityInvites.communityId, communityId),
          eq(communityInvites.memberId, memberId),
          isNull(communityInvites.acceptedAt),
        ),
      );
  }

  // ---- sanctions (written by moderation, read here) ----------------------------------------

  /** Active mute/ban of a member in a community (until > now). */
  async activeSanctions(
    brandId: string,
    communityId: string,
    memberId: string,
    tx?: Executor,
  ): Promise<Sanctions> {
    const rows = await (tx ?? this.client.db)
      .select({ kind: communitySanctions.kind, until: communitySanctions.until })
      .from(communitySanctions)
      .where(
        and(
          eq(communitySanctions.brandId, brandId),
          eq(communitySanctions.communityId, communityId),
          eq(communitySanctions.memberId, memberId),
          gt(communitySanctions.until, sql`now()`),
        ),
      );
    return {
      bannedUntil: rows.find((r) => r.kind === 'ban')?.until ?? null,
      mutedUntil: rows.find((r) => r.kind === 'mute')?.until ?? null,
    };
  }
}
