import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { DatabaseClient, type Executor, apiKeys } from '@app/db';

export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = Pick<ApiKey, 'name' | 'prefix' | 'secretHash' | 'createdBy'>;

/** Keys per brand are few (created by hand by owners); listings are bounded anyway. */
export const MAX_API_KEYS_LISTED = 500;

@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /** Inserts a key; null when the random prefix collides (the caller draws a new one). */
  async insert(brandId: string, values: NewApiKey, tx?: Executor): Promise<ApiKey | null> {
    const [row] = await (tx ?? this.client.db)
      .insert(apiKeys)
      .values({ ...values, brandId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  /**
   * The one lookup without a brand id: a storefront presents only its key, and the key's public
   * prefix is what tells us the brand. The secret is checked by the caller in constant time.
   */
  async findByPrefix(prefix: string, tx?: Executor): Promise<ApiKey | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.prefix, prefix))
      .limit(1);
    return row ?? null;
  }

  async findById(brandId: string, id: string, tx?: Executor): Promise<ApiKey | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.brandId, brandId), eq(apiKeys.id, id)))
      .limit(1);
    return row ?? null;
  }

  async list(brandId: string, tx?: Executor): Promise<ApiKey[]> {
    return (tx ?? this.client.db)
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.brandId, brandId))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(MAX_API_KEYS_LISTED);
  }

  /** Revokes an active key; null when there is no active key with this id in the brand. */
  async revoke(brandId: string, id: string, at: Date, tx?: Executor): Promise<ApiKey | null> {
    const [row] = await (tx ?? this.client.db)
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.brandId, brandId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning();
    return row ?? null;
  }

  /** Records use unless another request already did within the interval (one write per window). */
  async touchLastUsed(
    brandId: string,
    id: string,
    now: Date,
    notSince: Date,
    tx?: Executor,
  ): Promise<boolean> {
    const rows = await (tx ?? this.client.db)
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiKeys.brandId, brandId),
          eq(apiKeys.id, id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, notSince)),
        ),
      )
      .returning({ id: apiKeys.id });
    return rows.length > 0;
  }
}
