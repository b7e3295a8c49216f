import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
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

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const dropStatus = pgEnum('drop_status', [
  'draft',
  'scheduled',
  'early_access',
  'live',
  'sold_out',
  'ended',
  'cancelled',
]);
export const dropMode = pgEnum('drop_mode', ['first_come', 'raffle']);

/**
 * A live drop (直播限时抢购): scheduled sale of limited stock. Status moves draft → scheduled →
 * early_access → live → sold_out / ended (or cancelled) by delayed jobs; `version` increments on
 * every transition so late or duplicate jobs are ignored.
 */
export const drops = pgTable(
  'drops',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    hostName: text('host_name').notNull().default(''),
    streamUrl: text('stream_url'),
    status: dropStatus('status').notNull().default('draft'),
    mode: dropMode('mode').notNull().default('first_come'),
    /** Tier ids allowed to buy from earlyAccessAt (before startsAt). */
    earlyAccessTierIds: jsonb('early_access_tier_ids').$type<string[]>().notNull().default([]),
    earlyAccessAt: timestamp('early_access_at', { withTimezone: true }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** Reservation hold lifetime. */
    holdSeconds: integer('hold_seconds').notNull().default(300),
    /** Raffle mode: entries accepted in [raffleOpensAt, raffleClosesAt), drawn with raffleSeed. */
    raffleOpensAt: timestamp('raffle_opens_at', { withTimezone: true }),
    raffleClosesAt: timestamp('raffle_closes_at', { withTimezone: true }),
    raffleSeed: text('raffle_seed'),
    raffleDrawnAt: timestamp('raffle_drawn_at', { withTimezone: true }),
    version: integer('version').notNull().default(0),
    peakViewers: integer('peak_viewers').notNull().default(0),
    chatMessages: integer('chat_messages').notNull().default(0),
    /** After-drop report, written once when the drop ends. */
    report: jsonb('report').$type<Record<string, unknown> | null>(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('drops_brand_starts_idx').on(t.brandId, t.startsAt),
    check('drops_window_order', sql`${t.startsAt} < ${t.endsAt}`),
  ],
);

/** What a drop sells: stock and per-member limit per SKU. Postgres is the record of stock. */
export const dropSkus = pgTable(
  'drop_skus',
  {
    brandId: uuid('brand_id').notNull(),
    dropId: uuid('drop_id').notNull(),
    /** The brand's SKU code, unique within the drop. */
    id: text('id').notNull(),
    productId: text('product_id').notNull(),
    name: text('name').notNull(),
    category: text('category'),
    priceMinor: bigint('price_minor', { mode: 'number' }).notNull(),
    stock: integer('stock').notNull(),
    perMemberLimit: integer('per_member_limit').notNull().default(1),
    /** Units confirmed (paid); held units are in drop_reservations with status 'held'. */
    sold: integer('sold').notNull().default(0),
    soldOutAt: timestamp('sold_out_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.dropId, t.id] }),
    foreignKey({
      name: 'drop_skus_drop_fk',
      columns: [t.brandId, t.dropId],
      foreignColumns: [drops.brandId, drops.id],
    }).onDelete('cascade'),
    check('drop_skus_stock', sql`${t.stock} >= 0 and ${t.sold} >= 0 and ${t.sold} <= ${t.stock}`),
    check('drop_skus_limit', sql`${t.perMemberLimit} >= 1`),
  ],
);

export const reservationStatus = pgEnum('drop_reservation_status', [
  'held',
  'confirmed',
  'expired',
  'cancelled',
]);

/**
 * Holds and their outcome. One active hold per member per SKU (partial unique index); a hold
 * leaves 'held' exactly once, which is what returns its units exactly once.
 */
export const dropReservations = pgTable(
  'drop_reservations',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    dropId: uuid('drop_id').notNull(),
    skuId: text('sku_id').notNull(),
    memberId: uuid('member_id').notNull(),
    quantity: integer('quantity').notNull(),
    status: reservationStatus('status').notNull().default('held'),
    /** The client's idempotency key: a retried request returns the same reservation. */
    idempotencyKey: text('idempotency_key').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The order created on confirmation (orders.id). */
    orderId: uuid('order_id'),
    createdAt: createdAt(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('drop_reservations_idempotency_key').on(
      t.brandId,
      t.dropId,
      t.memberId,
      t.idempotencyKey,
    ),
    uniqueIndex('drop_reservations_one_active_hold')
      .on(t.brandId, t.dropId, t.skuId, t.memberId)
      .where(sql`${t.status} = 'held'`),
    index('drop_reservations_expiring_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'held'`),
    index('drop_reservations_drop_idx').on(t.brandId, t.dropId, t.skuId, t.status),
    foreignKey({
      name: 'drop_reservations_sku_fk',
      columns: [t.brandId, t.dropId, t.skuId],
      foreignColumns: [dropSkus.brandId, dropSkus.dropId, dropSkus.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'drop_reservations_member_fk',
      columns: [t.brandId, t.memberId],
      foreignColumns: [members.brandId, members.id],
    }),
    check('drop_reservations_quantity', sql`${t.quantity} >= 1`),
  ],
);

export const raffleResult = pgEnum('drop_raffle_result', ['pending', 'won', 'lost']);

/** Raffle entries: one per member per SKU; drawn with the drop's seed (auditable, replayable). */
export const dropRaffleEntries = pgTable(
  'drop_raffle_entries',
  {
    brandId: uuid('brand_id').notNull(),
    dropId: uuid('drop_id').notNull(),
    skuId: text('sku_id').notNull(),
    memberId: uuid('member_id').notNull(),
    quantity: integer('quantity').notNull().default(1),
    result: raffleResult('result').notNull().default('pending'),
    /** The winner's hold, created by the draw. */
    reservationId: uuid('reservation_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.dropId, t.skuId, t.memberId] }),
    foreignKey({
      name: 'drop_raffle_entries_sku_fk',
      columns: [t.brandId, t.dropId, t.skuId],
      foreignColumns: [dropSkus.brandId, dropSkus.dropId, dropSkus.id],
    }).onDelete('cascade'),
  ],
);

export const dropChatStatus = pgEnum('drop_chat_status', ['published', 'deleted']);

/** Live-room chat (screened by the brand's moderation rules; moderators delete). */
export const dropChatMessages = pgTable(
  'drop_chat_messages',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    dropId: uuid('drop_id').notNull(),
    memberId: uuid('member_id').notNull(),
    body: text('body').notNull(),
    status: dropChatStatus('status').notNull().default('published'),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('drop_chat_messages_drop_idx').on(t.brandId, t.dropId, t.createdAt),
  ],
);

/** Host announcements; the pinned one is shown on join. */
export const dropAnnouncements = pgTable(
  'drop_announcements',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    dropId: uuid('drop_id').notNull(),
    body: text('body').notNull(),
    pinned: integer('pinned').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('drop_announcements_drop_idx').on(t.brandId, t.dropId, t.createdAt),
  ],
);

/** Every status change of a drop, with the job or staff member that made it. */
export const dropTransitions = pgTable(
  'drop_transitions',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    dropId: uuid('drop_id').notNull(),
    fromStatus: dropStatus('from_status').notNull(),
    toStatus: dropStatus('to_status').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('drop_transitions_drop_idx').on(t.brandId, t.dropId, t.at),
  ],
);
