import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull } from 'drizzle-orm';
import { DatabaseClient, type Executor, refreshTokens } from '@app/db';

export type RefreshToken = typeof refreshTokens.$inferSelect;
export type NewRefreshToken = Pick<
  RefreshToken,
  'id' | 'familyId' | 'subjectType' | 'subjectId' | 'tokenHash' | 'expiresAt'
>;

@Injectable()
export class RefreshTokensRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  async insert(brandId: string, values: NewRefreshToken, tx?: Executor): Promise<void> {
    await (tx ?? this.client.db).insert(refreshTokens).values({ ...values, brandId });
  }

  /** Locks the row so two concurrent refreshes with one token serialise (the second is a re-use). */
  async findByIdForUpdate(brandId: string, id: string, tx: Executor): Promise<RefreshToken | null> {
    const [row] = await tx
      .select()
      .from(refreshTokens)
      .where(and(eq(refreshTokens.brandId, brandId), eq(refreshTokens.id, id)))
      .limit(1)
      .for('update');
    return row ?? null;
  }

  async markRotated(brandId: string, id: string, at: Date, tx?: Executor): Promise<void> {
    await (tx ?? this.client.db)
      .update(refreshTokens)
      .set({ rotatedAt: at })
      .where(and(eq(refreshTokens.brandId, brandId), eq(refreshTokens.id, id)));
  }

  async revokeFamily(brandId: string, familyId: string, at: Date, tx?: Executor): Promise<number> {
    const rows = await (tx ?? this.client.db)
      .update(refreshTokens)
      .set({ revokedAt: at })
      .where(
        and(
          eq(refreshTokens.brandId, brandId),
          eq(refreshTokens.familyId, familyId),
          isNull(refreshTokens.revokedAt),
        ),
      )
      .returning({ id: refreshTokens.id });
    return rows.length;
  }

  async revokeAllForSubject(
    brandId: string,
    subject: { type: 'member' | 'staff'; id: string },
    at: Date,
    tx?: Executor,
  ): Promise<number> {
    const rows = await (tx ?? this.client.db)
      .update(refreshTokens)
      .set({ revokedAt: at })
      .where(
        and(
          eq(refreshTokens.brandId, brandId),
          eq(refreshTokens.subjectId, subject.id),
          eq(refreshTokens.subjectType, subject.type),
          isNull(refreshTokens.revokedAt),
        ),
      )
      .returning({ id: refreshTokens.id });
    return rows.length;
  }
}
