import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, dropRaffleEntries, drops } from '@app/db';

export type RaffleEntry = typeof dropRaffleEntries.$inferSelect;

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class RaffleRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /** Null when the member already entered for this SKU. */
  async insertEntry(
    brandId: string,
    values: { dropId: string; skuId: string; memberId: string; quantity: number },
    tx?: Executor,
  ): Promise<RaffleEntry | null> {
    try {
      const [row] = await (tx ?? this.client.db)
        .insert(dropRaffleEntries)
        .values({ ...values, brandId })
        .returning();
      return row;
    } catch (error) {
      const e = error as { code?: string; cause?: { code?: string } };
      if ((e.code ?? e.cause?.code) === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  async entries(brandId: string, dropId: string, tx?: Executor): Promise<RaffleEntry[]> {
    return (tx ?? this.client.db)
      .select()
      .from(dropRaffleEntries)
      .where(and(eq(dropRaffleEntries.brandId, brandId), eq(dropRaffleEntries.dropId, dropId)))
      .orderBy(asc(dropRaffleEntries.skuId), asc(dropRaffleEntries.memberId));
  }

  async countEntries(brandId: string, dropId: string, tx?: Executor): Promise<number> {
    const [row] = await (tx ?? this.client.db)
      .select({ n: sql<number>`count(*)::int` })
      .from(dropRaffleEntries)
      .where(and(eq(dropRaffleEntries.brandId, brandId), eq(dropRaffleEntries.dropId, dropId)));
    return row?.n ?? 0;
  }

  async setResult(
    brandId: string,
    entry: Pick<RaffleEntry, 'dropId' | 'skuId' | 'memberId'>,
    result: 'won' | 'lost',
    reservationId: string | null,
    tx: Executor,
  ): Promise<void> {
    await tx
      .update(dropRaffleEntries)
      .set({ result, reservationId })
      .where(
        and(
          eq(dropRaffleEntries.brandId, brandId),
          eq(dropRaffleEntries.dropId, entry.dropId),
          eq(dropRaffleEntries.skuId, entry.skuId),
          eq(dropRaffleEntries.memberId, entry.memberId),
        ),
      );
  }

  /** The server seed is chosen once (when the raffle is scheduled); later calls keep it. */
  async initServerSeed(
    brandId: string,
    dropId: string,
    seed: string,
    tx?: Executor,
  ): Promise<void> {
    await (tx ?? this.client.db)
      .update(drops)
      .set({ raffleSeed: seed })
      .where(
        and(eq(drops.brandId, brandId), eq(drops.id, dropId), sql`${drops.raffleSeed} is null`),
      );
  }

  /** Marks the raffle drawn; false when it already was (a duplicate draw job). */
  async markDrawn(brandId: string, dropId: string, at: Date, tx: Executor): Promise<boolean> {
    const rows = await tx
      .update(drops)
      .set({ raffleDrawnAt: at })
      .where(
        and(eq(drops.brandId, brandId), eq(drops.id, dropId), sql`${drops.raffleDrawnAt} is null`),
      )
      .returning({ id: drops.id });
    return rows.length > 0;
  }
}
