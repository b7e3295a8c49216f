import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, brands, campaigns } from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';

export type Campaign = typeof campaigns.$inferSelect;
export type NewCampaign = Omit<typeof campaigns.$inferInsert, 'brandId' | 'id'>;
export type CampaignStatus = Campaign['status'];

@Injectable()
export class CampaignsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  async insert(brandId: string, values: NewCampaign, tx?: Executor): Promise<Campaign> {
    const [row] = await this.ex(tx)
      .insert(campaigns)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  async update(
    brandId: string,
    id: string,
    values: Partial<NewCampaign>,
    tx?: Executor,
  ): Promise<Campaign | null> {
    const [row] = await this.ex(tx)
      .update(campaigns)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(campaigns.brandId, brandId), eq(campaigns.id, id)))
      .returning();
    return row ?? null;
  }

  /** Moves a campaign from one of `from` to `to`; null when it is in another status. */
  async transition(
    brandId: string,
    id: string,
    from: CampaignStatus[],
    to: CampaignStatus,
    tx?: Executor,
  ): Promise<Campaign | null> {
    const [row] = await this.ex(tx)
      .update(campaigns)
      .set({ status: to, updatedAt: new Date() })
      .where(
        and(eq(campaigns.brandId, brandId), eq(campaigns.id, id), inArray(campaigns.status, from)),
      )
      .returning();
    return row ?? null;
  }

  async find(brandId: string, id: string, tx?: Executor): Promise<Campaign | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.brandId, brandId), eq(campaigns.id, id)));
    return row ?? null;
  }

  async delete(brandId: string, id: string, tx?: Executor): Promise<boolean> {
    const rows = await this.ex(tx)
      .delete(campaigns)
      .where(
        and(eq(campaigns.brandId, brandId), eq(campaigns.id, id), eq(campaigns.status, 'draft')),
      )
      .returning({ id: campaigns.id });
    return rows.length > 0;
  }

  list(
    brandId: string,
    page: { limit: number; after?: CreatedAtPosition; status?: CampaignStatus },
    tx?: Executor,
  ) {
    return this.ex(tx)
      .select({ campaign: campaigns, cursorAt: cursorAt(campaigns.createdAt) })
      .from(campaigns)
      .where(
        and(
          eq(campaigns.brandId, brandId),
          page.status ? eq(campaigns.status, page.status) : undefined,
          page.after ? olderThan(campaigns.createdAt, campaigns.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
      .limit(page.limit + 1);
  }

  /** Active campaigns of a brand with this trigger type, inside their schedule window at `now`. */
  activeByTrigger(brandId: string, type: string, now: Date, tx?: Executor): Promise<Campaign[]> {
    return this.ex(tx)
      .select()
      .from(campaigns)
      .where(
        and(
          eq(campaigns.brandId, brandId),
          eq(campaigns.status, 'active'),
          sql`${campaigns.trigger}->>'type' = ${type}`,
          sql`(${campaigns.startsAt} is null or ${campaigns.startsAt} <= ${now})`,
          sql`(${campaigns.endsAt} is null or ${campaigns.endsAt} > ${now})`,
        ),
      );
  }

  /** Active scan-triggered campaigns of every brand (the scheduled scan). */
  activeWithTriggers(types: readonly string[], now: Date, tx?: Executor): Promise<Campaign[]> {
    return this.ex(tx)
      .select()
      .from(campaigns)
      .where(
        and(
          eq(campaigns.status, 'active'),
          inArray(sql<string>`${campaigns.trigger}->>'type'`, [...types]),
          sql`(${campaigns.startsAt} is null or ${campaigns.startsAt} <= ${now})`,
          sql`(${campaigns.endsAt} is null or ${campaigns.endsAt} > ${now})`,
        ),
      );
  }

  /**
   * Reserves `minor` money and `points` of the budget in one conditional UPDATE: the row lock
   * serialises concurrent reservations and the guard re-checks the cap against the committed
   * total, so parallel workers can never take the spend past the budget. false → exhausted (or the
   * campaign is no longer active).
   */
  async reserveBudget(
    brandId: string,
    id: string,
    minor: number,
    points: number,
    tx: Executor,
  ): Promise<boolean> {
    const result = await tx.execute(sql`
      update campaigns
         set spent_minor = spent_minor + ${minor}, spent_points = spent_points + ${points}
       where brand_id = ${brandId} and id = ${id} and status = 'active'
         and (caps->>'budgetMinor' is null or spent_minor + ${minor} <= (caps->>'budgetMinor')::bigint)
         and (caps->>'budgetPoints' is null or spent_points + ${points} <= (caps->>'budgetPoints')::bigint)`);
    return (result.rowCount ?? 0) > 0;
  }

  async brandTimezone(brandId: string, tx?: Executor): Promise<string | null> {
    const [row] = await this.ex(tx)
      .select({ settings: brands.settings })
      .from(brands)
      .where(eq(brands.id, brandId));
    const tz = row?.settings?.timezone;
    return typeof tz === 'string' ? tz : null;
  }
}
