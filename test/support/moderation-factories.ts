import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import {
  type DatabaseClient,
  comments,
  communities,
  communityMembers,
  members,
  outboxMessages,
  posts,
  reviews,
} from '@app/db';
import { unique } from './factories';

/**
 * Community rows written straight with drizzle, so moderation tests do not depend on the posts /
 * reviews HTTP paths (built by other parts of the community context).
 */
type Status = (typeof posts.$inferSelect)['status'];

export async function insertMember(db: DatabaseClient, brandId: string): Promise<string> {
  const [row] = await db.db
    .insert(members)
    .values({
      brandId,
      email: `m.${unique()}@example.test`,
      firstName: 'Test',
      lastName: unique(),
      referralCode: `R${unique()}`.toUpperCase(),
    })
    .returning({ id: members.id });
  return row.id;
}

export async function insertCommunity(
  db: DatabaseClient,
  brandId: string,
  fields: { name?: string } = {},
): Promise<{ id: string; name: string }> {
  const slug = `c-${unique()}`;
  const [row] = await db.db
    .insert(communities)
    .values({ brandId, slug, name: fields.name ?? `Community ${slug}` })
    .returning({ id: communities.id, name: communities.name });
  return row;
}

/** A membership, counted in communities.member_count as the join endpoint does. */
export async function addCommunityMember(
  db: DatabaseClient,
  brandId: string,
  communityId: string,
  memberId: string,
  role: 'member' | 'moderator' | 'owner' = 'member',
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(communityMembers).values({ brandId, communityId, memberId, role });
    await tx
      .update(communities)
      .set({ memberCount: sql`${communities.memberCount} + 1` })
      .where(and(eq(communities.brandId, brandId), eq(communities.id, communityId)));
  });
}

export async function insertPost(
  db: DatabaseClient,
  brandId: string,
  fields: { communityId: string; authorId: string; body?: string; status?: Status },
): Promise<typeof posts.$inferSelect> {
  const status = fields.status ?? 'published';
  const [row] = await db.db
    .insert(posts)
    .values({
      brandId,
      communityId: fields.communityId,
      authorId: fields.authorId,
      body: fields.body ?? `A post ${unique()}`,
      status,
      textHash: unique(),
      approvedAt: status === 'published' ? new Date() : null,
    })
    .returning();
  return row;
}

export async function insertComment(
  db: DatabaseClient,
  brandId: string,
  fields: { postId: string; authorId: string; body?: string; status?: Status },
): Promise<typeof comments.$inferSelect> {
  const [row] = await db.db
    .insert(comments)
    .values({
      brandId,
      postId: fields.postId,
      authorId: fields.authorId,
      body: fields.body ?? `A comment ${unique()}`,
      status: fields.status ?? 'published',
      textHash: unique(),
    })
    .returning();
  return row;
}

export async function insertReview(
  db: DatabaseClient,
  brandId: string,
  fields: { memberId: string; body?: string; status?: Status; communityId?: string },
): Promise<typeof reviews.$inferSelect> {
  const status = fields.status ?? 'published';
  const [row] = await db.db
    .insert(reviews)
    .values({
      brandId,
      memberId: fields.memberId,
      orderId: randomUUID(),
      lineNo: 1,
      productId: `sku-${unique()}`,
      rating: 4,
      body: fields.body ?? `A review ${unique()}`,
      status,
      textHash: unique(),
      communityId: fields.communityId ?? null,
      approvedAt: status === 'published' ? new Date() : null,
    })
    .returning();
  return row;
}

/** Outbox messages of a brand on one topic, oldest first. */
export async function outboxOf(
  db: DatabaseClient,
  brandId: string,
  topic: string,
): Promise<(typeof outboxMessages.$inferSelect)[]> {
  return db.db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.brandId, brandId), eq(outboxMessages.topic, topic)))
    .orderBy(outboxMessages.createdAt);
}
