import {
  bigint,
  customType,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { brands } from './identity';

const brandId = () =>
  uuid('brand_id')
    .notNull()
    .references(() => brands.id, { onDelete: 'cascade' });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * How far the analytics rollups of a brand reach (ADR 0021): every UTC day before `through_day`
 * is rolled up; later days are computed live. `watermark` is where the next run looks for late
 * changes (orders ingested, refunds, reviews) that touch already rolled-up days.
 */
export const analyticsRollupState = pgTable('analytics_rollup_state', {
  brandId: brandId().primaryKey(),
  throughDay: date('through_day', { mode: 'string' }).notNull(),
  watermark: timestamp('watermark', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Additive dashboard figures of one brand and UTC day (same definitions as the live SQL). */
export const analyticsDaily = pgTable(
  'analytics_daily',
  {
    brandId: brandId(),
    day: date('day', { mode: 'string' }).notNull(),
    orders: integer('orders').notNull().default(0),
    revenueMinor: bigint('revenue_minor', { mode: 'number' }).notNull().default(0),
    earned: bigint('earned', { mode: 'number' }).notNull().default(0),
    redeemed: bigint('redeemed', { mode: 'number' }).notNull().default(0),
    expired: bigint('expired', { mode: 'number' }).notNull().default(0),
    posts: integer('posts').notNull().default(0),
    comments: integer('comments').notNull().default(0),
    reviews: integer('reviews').notNull().default(0),
    reviewedOrders: integer('reviewed_orders').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.day] })],
);

/**
 * Members of a brand with a dense number (`idx`, their bit in the day bitmaps) and their first
 * orders placed before the rollup boundary, so cohort counts stay exact without a scan of orders.
 */
export const analyticsMembers = pgTable(
  'analytics_members',
  {
    brandId: brandId(),
    memberId: uuid('member_id').notNull(),
    idx: integer('idx').notNull(),
    /** First order of any status; first and second orders not fully refunded. */
    firstAnyAt: timestamp('first_any_at', { withTimezone: true }),
    firstAt: timestamp('first_at', { withTimezone: true }),
    secondAt: timestamp('second_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.memberId] }),
    uniqueIndex('analytics_members_idx_key').on(t.brandId, t.idx),
    index('analytics_members_first_idx').on(t.brandId, t.firstAnyAt),
  ],
);

/**
 * Per brand, UTC day and kind, the set of members (bit `idx` of `analytics_members`): distinct
 * counts over any window are the popcount of an OR, exactly. Kinds: `customer` (≥ 1 order not
 * fully refunded), `repeat` (≥ 2 such orders that day), `active` (an order, or a ledger entry
 * other than expiry), `poster`.
 */
export const analyticsMemberDays = pgTable(
  'analytics_member_days',
  {
    brandId: brandId(),
    day: date('day', { mode: 'string' }).notNull(),
    kind: text('kind').notNull(),
    bits: bytea('bits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.day, t.kind] })],
);
