import type { DatabaseClient } from '@app/db';
import { unique } from './factories';

/** Orders written straight into Postgres (analytics only reads them): [member, placedAt, paidMinor]. */
export async function insertOrders(
  db: DatabaseClient,
  brandId: string,
  rows: [memberId: string, placedAt: Date, paidMinor: number][],
): Promise<void> {
  for (const [memberId, placedAt, paid] of rows)
    await db.pool.query(
      `insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel, placed_at)
       values ($1, $2, $3, 'USD', $4, 'online', $5)`,
      [brandId, `o-${unique()}`, memberId, paid, placedAt],
    );
}
