import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Transactional outbox: a message is inserted in the same transaction as the state change that
 * caused it, then delivered by the worker's drainer at least once. Consumers are idempotent
 * through `processed_messages`. No FK to brands: platform-level messages use the nil brand.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    topic: text('topic').notNull(),
    /** Routing key for ordering-insensitive consumers (e.g. `member:<id>`). */
    key: text('key'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lockedBy: text('locked_by'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    deadAt: timestamp('dead_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('outbox_pending_idx')
      .on(t.availableAt)
      .where(sql`${t.deliveredAt} is null and ${t.deadAt} is null`),
  ],
);

/** Inbox of idempotent consumers: one row per (consumer, message) whose effect was applied. */
export const processedMessages = pgTable(
  'processed_messages',
  {
    consumer: text('consumer').notNull(),
    messageId: uuid('message_id').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.messageId] })],
);
