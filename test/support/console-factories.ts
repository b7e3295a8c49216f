import { randomUUID } from 'node:crypto';
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

/** A live first-come drop with the given SKUs (stock in Postgres; the stock store rebuilds from it). */
export async function insertLiveDrop(
  db: DatabaseClient,
  brandId: string,
  skus: { id: string; stock: number; perMemberLimit?: number }[],
): Promise<string> {
  const id = randomUUID();
  const now = Date.now();
  await db.pool.query(
    `insert into drops (brand_id, id, title, host_name, status, starts_at, ends_at)
     values ($1, $2, 'Console drop', 'Host', 'live', $3, $4)`,
    [brandId, id, new Date(now - 60_000), new Date(now + 3_600_000)],
  );
  for (const sku of skus)
    await db.pool.query(
      `insert into drop_skus (brand_id, drop_id, id, product_id, name, price_minor, stock, per_member_limit)
       values ($1, $2, $3, $4, $3, 1000, $5, $6)`,
      [brandId, id, sku.id, `P-${sku.id}`, sku.stock, sku.perMemberLimit ?? 1],
    );
  return id;
}
