import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DatabaseClient, type Executor, brands } from '@app/db';

export type Brand = typeof brands.$inferSelect;

/** Brands are the tenants themselves: the only identity table not scoped by a brand id. */
@Injectable()
export class BrandsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /** Inserts a brand; null when the slug is taken (no exception, so an outer transaction survives). */
  async insert(values: { slug: string; name: string }, tx?: Executor): Promise<Brand | null> {
    const [row] = await (tx ?? this.client.db)
      .insert(brands)
      .values(values)
      .onConflictDoNothing({ target: brands.slug })
      .returning();
    return row ?? null;
  }

  async findBySlug(slug: string, tx?: Executor): Promise<Brand | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(brands)
      .where(eq(brands.slug, slug))
      .limit(1);
    return row ?? null;
  }

  async findById(id: string, tx?: Executor): Promise<Brand | null> {
    const [row] = await (tx ?? this.client.db)
      .select()
      .from(brands)
      .where(eq(brands.id, id))
      .limit(1);
    return row ?? null;
  }
}
