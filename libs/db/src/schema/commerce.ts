import {
  bigint,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { brands, members } from './identity';

/** Products a brand sells, keyed by the storefront's own product id. */
export const products = pgTable(
  'products',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    category: text('category'),
    department: text('department'),
    manufacturer: text('manufacturer'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('products_brand_category_idx').on(t.brandId, t.category),
  ],
);

export const orderChannel = pgEnum('order_channel', ['online', 'offline']);
export const orderStatus = pgEnum('order_status', ['paid', 'partially_refunded', 'refunded']);

/** Orders as ingested from storefronts: the source of truth for points, analytics and ML. */
export const orders = pgTable(
  'orders',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    /** The storefront's order id: ingestion is idempotent on (brand, external id). */
    externalId: text('external_id').notNull(),
    memberId: uuid('member_id').notNull(),
    currency: text('currency').notNull(),
    /** Amount actually paid, in minor units. */
    paidTotalMinor: bigint('paid_total_minor', { mode: 'number' }).notNull(),
    channel: orderChannel('channel').notNull(),
    status: orderStatus('status').notNull().default('paid'),
    refundedTotalMinor: bigint('refunded_total_minor', { mode: 'number' }).notNull().default(0),
    /** Points the order earned (purchase rule × tier multiplier), for clawback and display. */
    pointsAwarded: integer('points_awarded').notNull().default(0),
    storeId: text('store_id'),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('orders_brand_external_key').on(t.brandId, t.externalId),
    index('orders_brand_member_placed_idx').on(t.brandId, t.memberId, t.placedAt),
    index('orders_brand_placed_idx').on(t.brandId, t.placedAt),
    // Analytics rollups look for orders ingested since their last run (ADR 0021).
    index('orders_brand_created_idx').on(t.brandId, t.createdAt),
    foreignKey({
      name: 'orders_member_fk',
      columns: [t.brandId, t.memberId],
      foreignColumns: [members.brandId, members.id],
    }),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    brandId: uuid('brand_id').notNull(),
    orderId: uuid('order_id').notNull(),
    lineNo: integer('line_no').notNull(),
    productId: text('product_id').notNull(),
    category: text('category'),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
    /** What the member paid for the line after discounts, in minor units. */
    paidMinor: bigint('paid_minor', { mode: 'number' }).notNull(),
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
    refundedMinor: bigint('refunded_minor', { mode: 'number' }).notNull().default(0),
    /** Purchase points this line earned; a refund of the line claws back its share. */
    pointsAwarded: integer('points_awarded').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.orderId, t.lineNo] }),
    index('order_lines_brand_product_idx').on(t.brandId, t.productId),
    foreignKey({
      name: 'order_lines_order_fk',
      columns: [t.brandId, t.orderId],
      foreignColumns: [orders.brandId, orders.id],
    }).onDelete('cascade'),
  ],
);
