import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq } from 'drizzle-orm';
import { DatabaseClient, type Executor, brandWebhooks } from '@app/db';

export type BrandWebhook = typeof brandWebhooks.$inferSelect;
export type WebhookChanges = Partial<Pick<BrandWebhook, 'url' | 'topics' | 'active'>>;

/** All SQL of brand webhooks, scoped by brand. */
@Injectable()
export class WebhooksRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  async insert(
    brandId: string,
    values: Pick<BrandWebhook, 'url' | 'secret' | 'topics' | 'active'>,
    tx?: Executor,
  ): Promise<BrandWebhook> {
    const [row] = await this.ex(tx)
      .insert(brandWebhooks)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  list(brandId: string, tx?: Executor): Promise<BrandWebhook[]> {
    return this.ex(tx)
      .select()
      .from(brandWebhooks)
      .where(eq(brandWebhooks.brandId, brandId))
      .orderBy(desc(brandWebhooks.createdAt), desc(brandWebhooks.id));
  }

  listActive(brandId: string, tx?: Executor): Promise<BrandWebhook[]> {
    return this.ex(tx)
      .select()
      .from(brandWebhooks)
      .where(and(eq(brandWebhooks.brandId, brandId), eq(brandWebhooks.active, true)));
  }

  async find(brandId: string, id: string, tx?: Executor): Promise<BrandWebhook | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(brandWebhooks)
      .where(and(eq(brandWebhooks.brandId, brandId), eq(brandWebhooks.id, id)));
    return row ?? null;
  }

  async update(
    brandId: string,
    id: string,
    changes: WebhookChanges,
    tx?: Executor,
  ): Promise<BrandWebhook | null> {
    if (!Object.keys(changes).length) return this.find(brandId, id, tx);
    const [row] = await this.ex(tx)
      .update(brandWebhooks)
      .set(changes)
      .where(and(eq(brandWebhooks.brandId, brandId), eq(brandWebhooks.id, id)))
      .returning();
    return row ?? null;
  }

  async delete(brandId: string, id: string, tx?: Executor): Promise<boolean> {
    const rows = await this.ex(tx)
      .delete(brandWebhooks)
      .where(and(eq(brandWebhooks.brandId, brandId), eq(brandWebhooks.id, id)))
      .returning({ id: brandWebhooks.id });
    return rows.length > 0;
  }
}
