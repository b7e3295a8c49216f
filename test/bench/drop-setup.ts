/**
 * Setup shared by the drop benchmarks: a live drop with one hot SKU, thousands of members
 * inserted straight into Postgres with access tokens signed here (sign-up and login are not what
 * these benchmarks measure), and the oversell check against Postgres after the run.
 */
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { BENCH_PASSWORD, post } from './harness';

/** The harness's api secret (harness.ts starts the api with it). */
export const BENCH_ACCESS_SECRET = 'bench-access-secret-0123456789abcdef0123';
export const HOT_SKU = 'HOT-1';

export interface BenchDrop {
  pg: Client;
  brandId: string;
  dropId: string;
  ownerToken: string;
  memberIds: string[];
  /** Access token of memberIds[i]. */
  tokens: string[];
}

/** A member access token, as the api signs them (HS256, audience and issuer of identity). */
export function memberToken(brandId: string, memberId: string, ttlSeconds = 3600): string {
  return jwt.sign({ brandId, typ: 'member' }, BENCH_ACCESS_SECRET, {
    algorithm: 'HS256',
    subject: memberId,
    audience: 'loyalty:access',
    issuer: 'loyalty-platform',
    expiresIn: ttlSeconds,
  });
}

/**
 * Creates the `bench` brand's owner session, `members` members and a drop already live (start
 * a second ago) selling HOT_SKU: `stock` units, `perMemberLimit` per member.
 */
export async function setUpLiveDrop(options: {
  apiUrl: string;
  databaseUrl: string;
  brandId: string;
  members: number;
  stock: number;
  perMemberLimit: number;
  holdSeconds?: number;
}): Promise<BenchDrop> {
  const { accessToken } = await post<{ accessToken: string }>(
    `${options.apiUrl}/v1/auth/staff/login`,
    { brandSlug: 'bench', email: 'owner@bench.test', password: BENCH_PASSWORD },
  );
  const auth = { authorization: `Bearer ${accessToken}` };
  const now = Date.now();
  const drop = await post<{ id: string }>(
    `${options.apiUrl}/v1/drops`,
    {
      title: 'Bench drop',
      startsAt: new Date(now - 1000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      holdSeconds: options.holdSeconds ?? 600,
      skus: [
        {
          id: HOT_SKU,
          productId: 'P-HOT',
          name: 'Hot',
          priceMinor: 1000,
          stock: options.stock,
          perMemberLimit: options.perMemberLimit,
        },
      ],
    },
    auth,
  );
  const scheduled = await post<{ status: string }>(
    `${options.apiUrl}/v1/drops/${drop.id}/schedule`,
    {},
    auth,
  );
  if (scheduled.status !== 'live') throw new Error(`drop is ${scheduled.status}, not live`);
  const pg = new Client({ connectionString: options.databaseUrl });
  await pg.connect();
  const { rows } = await pg.query<{ id: string }>(
    `insert into members (brand_id, email, referral_code)
     select $1, 'd' || g || '@bench.test', 'D' || lpad(g::text, 8, '0') from generate_series(1, $2) g
     returning id`,
    [options.brandId, options.members],
  );
  const memberIds = rows.map((r) => r.id);
  return {
    pg,
    brandId: options.brandId,
    dropId: drop.id,
    ownerToken: accessToken,
    memberIds,
    tokens: memberIds.map((id) => memberToken(options.brandId, id)),
  };
}

export interface StockAudit {
  stock: number;
  /** Units held or confirmed in Postgres. */
  units: number;
  /** Units beyond the stock (must be 0). */
  oversold: number;
  /** Members above the per-member limit (must be 0). */
  overLimit: number;
  holds: number;
}

export async function auditStock(pg: Client, dropId: string): Promise<StockAudit> {
  const { rows } = await pg.query<{ stock: number; units: number; holds: number }>(
    `select s.stock,
            coalesce(sum(r.quantity) filter (where r.status in ('held', 'confirmed')), 0)::int as units,
            (count(r.id) filter (where r.status in ('held', 'confirmed')))::int as holds
       from drop_skus s
       left join drop_reservations r on r.drop_id = s.drop_id and r.sku_id = s.id
      where s.drop_id = $1 and s.id = $2
      group by s.stock`,
    [dropId, HOT_SKU],
  );
  const { rows: over } = await pg.query<{ n: number }>(
    `select count(*)::int as n from (
       select r.member_id from drop_reservations r
         join drop_skus s on s.drop_id = r.drop_id and s.id = r.sku_id
        where r.drop_id = $1 and r.status in ('held', 'confirmed')
        group by r.member_id, s.per_member_limit having sum(r.quantity) > s.per_member_limit) x`,
    [dropId],
  );
  const { stock, units, holds } = rows[0];
  return { stock, units, oversold: Math.max(0, units - stock), overLimit: over[0].n, holds };
}
