import { randomUUID } from 'node:crypto';
import type { DatabaseClient } from '@app/db';
import type { ApiHarness } from './factories';
import { unique } from './factories';
import { signStorefrontRequest } from './storefront-signing';

export interface PurchaseLine {
  productId: string;
  quantity?: number;
  paidMinor?: number;
  category?: string;
}

/** A purchase as tests use it: the storefront's order id and its lines (numbered from 1). */
export interface Purchase {
  /** The storefront's order id (what reviews name). */
  orderId: string;
  /** The platform's order id. */
  id: string;
  lines: { lineNo: number; productId: string }[];
}

/** A review as the API returns it (the fields tests use). */
export interface ReviewBody {
  id: string;
  productId: string;
  authorId: string;
  orderId: string;
  lineNo: number;
  rating: number;
  status: string;
  verifiedPurchase: boolean;
  incentivised: boolean;
  helpfulCount: number;
  helpfulByMe: boolean;
  communityId: string | null;
}

/**
 * A member buys through the real ingestion endpoint, signed as the storefront signs (ADR 0008);
 * each line pays `paidMinor` (default 1000) for `quantity` (default 1).
 */
export async function buyOverHttp(
  api: ApiHarness,
  apiKey: string,
  memberId: string,
  lines: PurchaseLine[],
): Promise<Purchase> {
  const orderId = `SO-${unique()}`;
  const body = {
    orderId,
    memberId,
    lines: lines.map((l, i) => ({
      lineNo: i + 1,
      productId: l.productId,
      ...(l.category ? { category: l.category } : {}),
      quantity: l.quantity ?? 1,
      unitPriceMinor: Math.floor((l.paidMinor ?? 1000) / (l.quantity ?? 1)),
      paidMinor: l.paidMinor ?? 1000,
    })),
    paidTotalMinor: lines.reduce((sum, l) => sum + (l.paidMinor ?? 1000), 0),
    currency: 'USD',
    channel: 'online',
    placedAt: new Date().toISOString(),
  };
  const raw = JSON.stringify(body);
  const headers = signStorefrontRequest({ apiKey, method: 'POST', path: '/v1/orders', body: raw });
  const res = await api.http().post('/v1/orders').set(headers).send(raw);
  if (res.status !== 201)
    throw new Error(`order ingestion failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    orderId,
    id: (res.body as { id: string }).id,
    lines: lines.map((l, i) => ({ lineNo: i + 1, productId: l.productId })),
  };
}

/** A storefront refund of lines (signed), e.g. to make a line unreviewable. */
export async function refundOverHttp(
  api: ApiHarness,
  apiKey: string,
  orderId: string,
  lines: { lineNo: number; quantity: number }[],
): Promise<void> {
  const path = `/v1/orders/${orderId}/refunds`;
  const raw = JSON.stringify({ refundId: `RF-${unique()}`, lines });
  const headers = signStorefrontRequest({ apiKey, method: 'POST', path, body: raw });
  const res = await api.http().post(path).set(headers).send(raw);
  if (res.status !== 201)
    throw new Error(`refund failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Integration tests: an order and its lines written straight to the tables ingestion fills (no
 * points), so review tests do not depend on the ingestion pipeline.
 */
export async function insertPurchase(
  db: DatabaseClient,
  brandId: string,
  memberId: string,
  lines: PurchaseLine[],
): Promise<Purchase> {
  const id = randomUUID();
  const orderId = `SO-${unique()}`;
  const total = lines.reduce((sum, l) => sum + (l.paidMinor ?? 1000), 0);
  await db.pool.query(
    `insert into orders (brand_id, id, external_id, member_id, currency, paid_total_minor, channel, placed_at)
     values ($1, $2, $3, $4, 'USD', $5, 'online', now())`,
    [brandId, id, orderId, memberId, total],
  );
  for (const [i, l] of lines.entries())
    await db.pool.query(
      `insert into order_lines (brand_id, order_id, line_no, product_id, category, quantity, unit_price_minor, paid_minor)
       values ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [brandId, id, i + 1, l.productId, l.category ?? null, l.quantity ?? 1, l.paidMinor ?? 1000],
    );
  return { orderId, id, lines: lines.map((l, i) => ({ lineNo: i + 1, productId: l.productId })) };
}

/** A member reviews a line over HTTP; throws unless 201. */
export async function postReview(
  api: ApiHarness,
  memberToken: string,
  fields: Record<string, unknown>,
): Promise<ReviewBody> {
  const res = await api
    .http()
    .post('/v1/reviews')
    .set('authorization', `Bearer ${memberToken}`)
    .send({ rating: 5, body: `Loved it ${unique()}`, ...fields });
  if (res.status !== 201)
    throw new Error(`review failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ReviewBody;
}
