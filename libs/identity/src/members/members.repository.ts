import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, members } from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '../persistence/keyset';

export type Member = typeof members.$inferSelect;
export type NewMember = Omit<
  typeof members.$inferInsert,
  'brandId' | 'id' | 'createdAt' | 'updatedAt'
>;
export type MemberChanges = Partial<
  Pick<Member, 'firstName' | 'lastName' | 'birthday' | 'profile' | 'consents' | 'passwordHash'>
>;

@Injectable()
export class MembersRepository {
  /**
   * The lookup behind every member-authenticated read: a named prepared statement, so neither
   * drizzle (SQL building) nor Postgres (parse/plan, once per connection) redo work per request.
   */
  private readonly byId;

  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {
    this.byId = client.db
      .select()
      .from(members)
      .where(
        and(eq(members.brandId, sql.placeholder('brandId')), eq(members.id, sql.placeholder('id'))),
      )
      .limit(1)
      .prepare('members_by_id');
  }

  /**
   * Inserts a member; null when any unique key (email, phone, referral code, external id) is
   * already used in the brand. ON CONFLICT instead of catching the error keeps an outer
   * transaction usable, so the caller can find out which key clashed and react.
   */
  async insert(brandId: string, values: NewMember, tx?: Executor): Promise<Member | null> {
    const [row] = await (tx ?? this.client.db)
      .insert(members)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async findById(
    brandId: string,
    id: string,
    tx?: Executor,
    options: { forUpdate?: boolean } = {},
  ): Promise<Member | null> {
    if (!tx && !options.forUpdate) {
      const [row] = await this.byId.execute({ brandId, id });
      return row ?? null;
    }
    const query = (tx ?? this.client.db)
      .select()
      .from(members)
      .where(and(eq(members.brandId, brandId), eq(members.id, id)))
      .limit(1);
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  async findByEmail(brandId: string, email: string, tx?: Executor): Promise<Member | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(members)
      .where(and(eq(members.brandId, brandId), sql`lower(${members.email}) = lower(${email})`))
      .limit(1);
    return row ?? null;
  }

  async findByPhone(brandId: string, phone: string, tx?: Executor): Promise<Member | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(members)
      .where(and(eq(members.brandId, brandId), eq(members.phone, phone)))
      .limit(1);
    return row ?? null;
  }

  async findByReferralCode(brandId: string, code: string, tx?: Executor): Promise<Member | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(members)
      .where(and(eq(members.brandId, brandId), eq(members.referralCode, code)))
      .limit(1);
    return row ?? null;
  }

  /** Newest first, `limit + 1` rows so the caller can tell whether a next page exists. */
  async list(
    brandId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(Member & { cursorAt: string })[]> {
    return (tx ?? this.client.db)
      .select({ ...getTableColumns(members), cursorAt: cursorAt(members.createdAt) })
      .from(members)
      .where(
        and(
          eq(members.brandId, brandId),
          page.after ? olderThan(members.createdAt, members.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(members.createdAt), desc(members.id))
      .limit(page.limit + 1);
  }

  async update(
    brandId: string,
    id: string,
    changes: MemberChanges,
    tx?: Executor,
  ): Promise<Member | null> {
    const [row] = await (tx ?? this.client.db)
      .update(members)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(members.brandId, brandId), eq(members.id, id)))
      .returning();
    return row ?? null;
  }

  /** Sets profile_completed_at only the first time; null when it was already set. */
  async markProfileCompleted(
    brandId: string,
    id: string,
    at: Date,
    tx?: Executor,
  ): Promise<Member | null> {
    const [row] = await (tx ?? this.client.db)
      .update(members)
      .set({ profileCompletedAt: at, updatedAt: at })
      .where(
        and(eq(members.brandId, brandId), eq(members.id, id), isNull(members.profileCompletedAt)),
      )
      .returning();
    return row ?? null;
  }
}
