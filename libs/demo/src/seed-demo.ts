import { createHash, randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { AppConfig } from '@app/config';
import type { DatabaseClient, MemberConsents } from '@app/db';
import { PasswordHasher } from '@app/identity';
import { compareIds, type DemoDataset, loadDemoDataset } from './completejourney';

export const DEMO_BRAND_SLUG = 'demo';

/** Demo sign-ins, printed at the end of every seed run (documented in README). */
export const DEMO_STAFF = [
  {
    role: 'owner',
    email: 'owner@demo.example',
    password: 'demo-owner-password',
    displayName: 'Demo Owner',
  },
  {
    role: 'moderator',
    email: 'moderator@demo.example',
    password: 'demo-moderator-password',
    displayName: 'Demo Moderator',
  },
  {
    role: 'marketer',
    email: 'marketer@demo.example',
    password: 'demo-marketer-password',
    displayName: 'Demo Marketer',
  },
] as const;

/** Members that can sign in: the households with the most baskets get these emails. */
export const DEMO_MEMBER_PASSWORD = 'demo-member-password';
export const DEMO_LOGIN_MEMBERS = 3;
export const demoMemberEmail = (n: number) => `member${n}@demo.example`;

export interface DemoCounts {
  brands: number;
  staff: number;
  members: number;
  products: number;
  orders: number;
  orderLines: number;
}

export interface DemoCredential {
  kind: 'staff' | 'member';
  role?: string;
  email: string;
  password: string;
  /** For members: the household id (members.external_id). */
  externalId?: string;
}

export interface SeedDemoResult {
  brandId: string;
  brandSlug: string;
  /** Rows this run inserted (all zero on a re-run). */
  created: DemoCounts;
  /** Rows of the demo brand after the run. */
  totals: DemoCounts;
  credentials: DemoCredential[];
  elapsedMs: number;
}

export interface SeedDemoOptions {
  db: DatabaseClient;
  config: AppConfig;
  /** One line per step and the credentials at the end; defaults to silent. */
  log?: (line: string) => void;
  /** Rows per multi-row insert. */
  batchSize?: number;
  /** Dataset override (tests); defaults to libs/demo/data/completejourney. */
  dataset?: DemoDataset;
}

/** Same alphabet as identity's referral codes (no 0/O, 1/I/L, U), 8 characters. */
const REFERRAL_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A stable referral code per household, so a re-run computes the same rows. */
function demoReferralCode(householdId: string, attempt = 0): string {
  const digest = createHash('sha256').update(`demo-referral:${householdId}:${attempt}`).digest();
  let code = '';
  for (let i = 0; i < 8; i += 1)
    code += REFERRAL_ALPHABET[digest.readUInt16BE(i * 2) % REFERRAL_ALPHABET.length];
  return code;
}

/** Codes for every household, re-hashing the rare collision so each stays unique and stable. */
function demoReferralCodes(householdIds: readonly string[]): Map<string, string> {
  const byHousehold = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of householdIds) {
    let attempt = 0;
    let code = demoReferralCode(id);
    while (taken.has(code)) code = demoReferralCode(id, (attempt += 1));
    taken.add(code);
    byHousehold.set(id, code);
  }
  return byHousehold;
}

/** Any stable 64-bit number: two seeders at once run one after the other. */
const SEED_LOCK_ID = 7_242_023_002;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function countRows(client: PoolClient, brandId: string): Promise<DemoCounts> {
  const { rows } = await client.query<Omit<DemoCounts, 'brands'>>(
    `select
       (select count(*)::int from staff_users where brand_id = $1) as staff,
       (select count(*)::int from members where brand_id = $1) as members,
       (select count(*)::int from products where brand_id = $1) as products,
       (select count(*)::int from orders where brand_id = $1) as orders,
       (select count(*)::int from order_lines where brand_id = $1) as "orderLines"`,
    [brandId],
  );
  return { brands: 1, ...rows[0] };
}

/**
 * Seeds the demo brand from the Complete Journey sample: staff (owner / moderator / marketer),
 * one member per household, products, and one offline order per basket with its lines. Every
 * insert is `ON CONFLICT DO NOTHING` on the natural key (brand slug, staff email, household id,
 * product id, basket id), all in one transaction, so a re-run (or a crashed run) leaves exactly
 * one copy. Money is integer cents; order totals are the sum of their lines.
 */
export async function seedDemo(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 5000;
  const hasher = new PasswordHasher(options.config.auth.scryptCost);

  const dataset = options.dataset ?? loadDemoDataset();
  log(
    `demo data: ${dataset.households.length} households, ${dataset.products.length} products, ` +
      `${dataset.orders.length} baskets, ${dataset.lineCount} lines (loaded in ${Math.round(performance.now() - started)} ms)`,
  );

  const loginHouseholds = [...dataset.households]
    .sort((a, b) => b.orderCount - a.orderCount || compareIds(a.householdId, b.householdId))
    .slice(0, DEMO_LOGIN_MEMBERS)
    .map((h) => h.householdId);
  const [staffHashes, memberHash] = await Promise.all([
    Promise.all(DEMO_STAFF.map((s) => hasher.hash(s.password))),
    hasher.hash(DEMO_MEMBER_PASSWORD),
  ]);

  const client = await options.db.pool.connect();
  const created: DemoCounts = {
    brands: 0,
    staff: 0,
    members: 0,
    products: 0,
    orders: 0,
    orderLines: 0,
  };
  let brandId: string;
  let totals: DemoCounts;
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [SEED_LOCK_ID]);

    const brand = await client.query(
      `insert into brands (slug, name, settings) values ($1, $2, $3::jsonb) on conflict (slug) do nothing`,
      [
        DEMO_BRAND_SLUG,
        'Demo Grocer (Complete Journey)',
        JSON.stringify({
          currency: dataset.currency,
          timezone: 'America/Chicago',
          demo: true,
          dataset: 'completejourney',
        }),
      ],
    );
    created.brands = brand.rowCount ?? 0;
    brandId = (
      await client.query<{ id: string }>('select id from brands where slug = $1', [DEMO_BRAND_SLUG])
    ).rows[0].id;

    const staff = await client.query(
      `insert into staff_users (brand_id, email, display_name, role, password_hash)
       select $1, * from unnest($2::text[], $3::text[], $4::staff_role[], $5::text[])
       on conflict (brand_id, lower(email)) do nothing`,
      [
        brandId,
        DEMO_STAFF.map((s) => s.email),
        DEMO_STAFF.map((s) => s.displayName),
        DEMO_STAFF.map((s) => s.role),
        staffHashes,
      ],
    );
    created.staff = staff.rowCount ?? 0;

    const consents: MemberConsents = {
      email: false,
      sms: false,
      push: false,
      personalisation: true,
    };
    const loginConsents: MemberConsents = { ...consents, email: true };
    const referralCodes = demoReferralCodes(dataset.households.map((h) => h.householdId));
    for (const batch of chunks(dataset.households, batchSize)) {
      const login = batch.map((h) => loginHouseholds.indexOf(h.householdId));
      const result = await client.query(
        `insert into members (brand_id, external_id, email, password_hash, first_name, last_name,
                              referral_code, consents, created_at)
         select $1, external_id, email, password_hash, first_name, last_name, referral_code, consents::jsonb, created_at
         from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
           as t(external_id, email, password_hash, first_name, last_name, referral_code, consents, created_at)
         on conflict (brand_id, external_id) where external_id is not null do nothing`,
        [
          brandId,
          batch.map((h) => h.householdId),
          login.map((n) => (n >= 0 ? demoMemberEmail(n + 1) : null)),
          login.map((n) => (n >= 0 ? memberHash : null)),
          login.map((n) => (n >= 0 ? 'Demo' : null)),
          batch.map((h, i) =>
            login[i] >= 0 ? `Member ${login[i] + 1}` : `Household ${h.householdId}`,
          ),
          batch.map((h) => referralCodes.get(h.householdId)),
          login.map((n) => JSON.stringify(n >= 0 ? loginConsents : consents)),
          batch.map((h) => h.firstOrderAt.toISOString()),
        ],
      );
      created.members += result.rowCount ?? 0;
    }
    const memberIds = new Map(
      (
        await client.query<{ id: string; external_id: string }>(
          'select id, external_id from members where brand_id = $1 and external_id = any($2::text[])',
          [brandId, dataset.households.map((h) => h.householdId)],
        )
      ).rows.map((row) => [row.external_id, row.id]),
    );

    for (const batch of chunks(dataset.products, batchSize)) {
      const result = await client.query(
        `insert into products (brand_id, id, name, category, department, manufacturer, attributes)
         select $1, id, name, category, department, manufacturer, attributes::jsonb
         from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           as t(id, name, category, department, manufacturer, attributes)
         on conflict (brand_id, id) do nothing`,
        [
          brandId,
          batch.map((p) => p.id),
          batch.map((p) => p.name),
          batch.map((p) => p.category),
          batch.map((p) => p.department),
          batch.map((p) => p.manufacturer),
          batch.map((p) => JSON.stringify(p.attributes)),
        ],
      );
      created.products += result.rowCount ?? 0;
    }

    for (const batch of chunks(dataset.orders, batchSize)) {
      const ids = batch.map(() => randomUUID());
      const inserted = await client.query<{ id: string }>(
        `insert into orders (brand_id, id, external_id, member_id, currency, paid_total_minor, channel, store_id, placed_at)
         select $1, id, external_id, member_id, $2, paid_total_minor, 'offline', store_id, placed_at
         from unnest($3::uuid[], $4::text[], $5::uuid[], $6::bigint[], $7::text[], $8::timestamptz[])
           as t(id, external_id, member_id, paid_total_minor, store_id, placed_at)
         on conflict (brand_id, external_id) do nothing
         returning id`,
        [
          brandId,
          dataset.currency,
          ids,
          batch.map((o) => o.externalId),
          batch.map((o) => {
            const memberId = memberIds.get(o.householdId);
            if (!memberId) throw new Error(`no member for household ${o.householdId}`);
            return memberId;
          }),
          batch.map((o) => o.paidTotalMinor),
          batch.map((o) => o.storeId),
          batch.map((o) => o.placedAt.toISOString()),
        ],
      );
      created.orders += inserted.rowCount ?? 0;
      // Lines only for orders this run inserted: an existing order already has all of its lines.
      const fresh = new Set(inserted.rows.map((row) => row.id));
      const lines = batch.flatMap((order, i) =>
        fresh.has(ids[i]) ? order.lines.map((line) => ({ orderId: ids[i], line })) : [],
      );
      if (!lines.length) continue;
      const result = await client.query(
        `insert into order_lines (brand_id, order_id, line_no, product_id, category, quantity, unit_price_minor, paid_minor)
         select $1, * from unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::bigint[])
         on conflict (brand_id, order_id, line_no) do nothing`,
        [
          brandId,
          lines.map((l) => l.orderId),
          lines.map((l) => l.line.lineNo),
          lines.map((l) => l.line.productId),
          lines.map((l) => l.line.category),
          lines.map((l) => l.line.quantity),
          lines.map((l) => l.line.unitPriceMinor),
          lines.map((l) => l.line.paidMinor),
        ],
      );
      created.orderLines += result.rowCount ?? 0;
    }

    totals = await countRows(client, brandId);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }

  const credentials: DemoCredential[] = [
    ...DEMO_STAFF.map((s) => ({
      kind: 'staff' as const,
      role: s.role,
      email: s.email,
      password: s.password,
    })),
    ...loginHouseholds.map((householdId, i) => ({
      kind: 'member' as const,
      email: demoMemberEmail(i + 1),
      password: DEMO_MEMBER_PASSWORD,
      externalId: householdId,
    })),
  ];
  const elapsedMs = Math.round(performance.now() - started);
  const describe = (c: DemoCounts) =>
    `${c.staff} staff, ${c.members} members, ${c.products} products, ${c.orders} orders, ${c.orderLines} order lines`;
  log(`demo brand "${DEMO_BRAND_SLUG}" (${brandId}) seeded in ${elapsedMs} ms`);
  log(`  created now: ${describe(created)}`);
  log(`  in total:    ${describe(totals)}`);
  log(
    `demo sign-ins (brand slug "${DEMO_BRAND_SLUG}"; demo passwords, never use them in production):`,
  );
  for (const c of credentials) {
    const who = c.kind === 'staff' ? `staff ${c.role}` : `member (household ${c.externalId})`;
    log(`  ${who.padEnd(28)} ${c.email.padEnd(26)} ${c.password}`);
  }
  return { brandId, brandSlug: DEMO_BRAND_SLUG, created, totals, credentials, elapsedMs };
}
