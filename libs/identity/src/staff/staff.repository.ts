import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, staffUsers } from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '../persistence/keyset';

export type StaffUser = typeof staffUsers.$inferSelect;
export type NewStaffUser = Pick<StaffUser, 'email' | 'displayName' | 'role' | 'passwordHash'>;

@Injectable()
export class StaffRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /** Inserts a staff user; null when the email is already used in the brand. */
  async insert(brandId: string, values: NewStaffUser, tx?: Executor): Promise<StaffUser | null> {
    const [row] = await (tx ?? this.client.db)
      .insert(staffUsers)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async findById(brandId: string, id: string, tx?: Executor): Promise<StaffUser | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(staffUsers)
      .where(and(eq(staffUsers.brandId, brandId), eq(staffUsers.id, id)))
      .limit(1);
    return row ?? null;
  }

  async findByEmail(brandId: string, email: string, tx?: Executor): Promise<StaffUser | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(staffUsers)
      .where(
        and(eq(staffUsers.brandId, brandId), sql`lower(${staffUsers.email}) = lower(${email})`),
      )
      .limit(1);
    return row ?? null;
  }

  async list(
    brandId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(StaffUser & { cursorAt: string })[]> {
    return (tx ?? this.client.db)
      .select({ ...getTableColumns(staffUsers), cursorAt: cursorAt(staffUsers.createdAt) })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.brandId, brandId),
          page.after ? olderThan(staffUsers.createdAt, staffUsers.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(staffUsers.createdAt), desc(staffUsers.id))
      .limit(page.limit + 1);
  }

  /** Disables an active staff user; null when there is no such active user in the brand. */
  async disable(brandId: string, id: string, at: Date, tx?: Executor): Promise<StaffUser | null> {
    const [row] = await (tx ?? this.client.db)
      .update(staffUsers)
      .set({ disabledAt: at, updatedAt: at })
      .where(
        and(eq(staffUsers.brandId, brandId), eq(staffUsers.id, id), isNull(staffUsers.disabledAt)),
      )
      .returning();
    return row ?? null;
  }

  async updatePasswordHash(
    brandId: string,
    id: string,
    passwordHash: string,
    tx?: Executor,
  ): Promise<void> {
    await (tx ?? this.client.db)
      .update(staffUsers)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(staffUsers.brandId, brandId), eq(staffUsers.id, id)));
  }
}
