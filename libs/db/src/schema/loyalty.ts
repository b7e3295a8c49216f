import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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
import { orders } from './commerce';
import { brands, members } from './identity';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const brandId = () =>
  uuid('brand_id')
    .notNull()
    .references(() => brands.id, { onDelete: 'cascade' });

export const expiryMode = pgEnum('points_expiry_mode', [
  'rolling',
  'end_of_month',
  'end_of_year',
  'never',
]);
export const clawbackPolicy = pgEnum('clawback_policy', ['debt', 'cap']);

/** One loyalty programme per brand: the knobs every ledger operation reads. */
export const loyaltyPrograms = pgTable('loyalty_programs', {
  brandId: uuid('brand_id')
    .primaryKey()
    .references(() => brands.id, { onDelete: 'cascade' }),
  currency: text('currency').notNull().default('USD'),
  expiryMode: expiryMode('expiry_mode').notNull().default('rolling'),
  expiryMonths: integer('expiry_months').notNull().default(12),
  /** What a refund does when the points it claws back were already spent. */
  clawbackPolicy: clawbackPolicy('clawback_policy').notNull().default('debt'),
  /** Purchase points are held this many days (return window) before they can be spent. */
  pendingDays: integer('pending_days').notNull().default(0),
  /** Days before expiry when members are warned. */
  expiryWarningDays: integer('expiry_warning_days').notNull().default(30),
  /** Estimated cost of one point in minor units ×10,000 (liability report). */
  pointValueMicros: integer('point_value_micros').notNull().default(100),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const ledgerKind = pgEnum('ledger_kind', ['earn', 'redeem', 'expire', 'adjust', 'reverse']);
export const ledgerSource = pgEnum('ledger_source', [
  'order',
  'refund',
  'rule',
  'redemption',
  'staff',
  'expiry',
  'system',
]);

/**
 * Append-only points ledger. A member's balance is Σ amount; every entry names why (reason),
 * what caused it (source + source id), which rule fired, and who did it. `dedupe_key` makes every
 * producer idempotent: the same cause can never write a second entry.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    memberId: uuid('member_id').notNull(),
    kind: ledgerKind('kind').notNull(),
    /** Signed points: earn > 0; redeem, expire, reverse < 0; adjust either way. */
    amount: integer('amount').notNull(),
    reason: text('reason').notNull(),
    source: ledgerSource('source').notNull(),
    sourceId: text('source_id'),
    ruleId: uuid('rule_id'),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    dedupeKey: text('dedupe_key').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('ledger_entries_dedupe_key').on(t.brandId, t.dedupeKey),
    index('ledger_entries_member_idx').on(t.brandId, t.memberId, t.createdAt, t.id),
    // Analytics (ADR 0021): the dashboard and its rollup job read a brand's entries by time.
    index('ledger_entries_brand_created_idx').on(t.brandId, t.createdAt),
    index('ledger_entries_rule_idx')
      .on(t.brandId, t.memberId, t.ruleId, t.createdAt)
      .where(sql`${t.ruleId} is not null`),
    check('ledger_entries_amount_nonzero', sql`${t.amount} <> 0`),
    foreignKey({
      name: 'ledger_entries_member_fk',
      columns: [t.brandId, t.memberId],
      foreignColumns: [members.brandId, members.id],
    }),
  ],
);

/** Each earn is a lot with its own expiry; debits draw lots FIFO by expiry. */
export const pointLots = pgTable(
  'point_lots',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    memberId: uuid('member_id').notNull(),
    earnEntryId: uuid('earn_entry_id').notNull(),
    points: integer('points').notNull(),
    remaining: integer('remaining').notNull(),
    earnedAt: timestamp('earned_at', { withTimezone: true }).notNull(),
    /** Pending lots cannot be spent before this instant (return window). */
    availableAt: timestamp('available_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Set when the expiry sweep has written this lot's expire entry. */
    expiredAt: timestamp('expired_at', { withTimezone: true }),
    /** Set when members were warned that this lot expires soon. */
    warnedAt: timestamp('warned_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('point_lots_earn_entry_key').on(t.brandId, t.earnEntryId),
    index('point_lots_open_idx')
      .on(t.brandId, t.memberId, t.expiresAt)
      .where(sql`${t.remaining} > 0`),
    index('point_lots_expiring_idx')
      .on(t.expiresAt)
      .where(sql`${t.remaining} > 0 and ${t.expiredAt} is null`),
    check('point_lots_remaining_range', sql`${t.remaining} >= 0 and ${t.remaining} <= ${t.points}`),
  ],
);

/** Which lots a debit entry drew from (FIFO record), so a reversal can restore exactly them. */
export const lotAllocations = pgTable(
  'lot_allocations',
  {
    brandId: uuid('brand_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    points: integer('points').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.entryId, t.lotId] }),
    index('lot_allocations_lot_idx').on(t.brandId, t.lotId),
    check('lot_allocations_points_positive', sql`${t.points} > 0`),
  ],
);

/**
 * The member's running totals, updated in the same transaction as each entry. Locking this row
 * serialises a member's ledger writes, which is what makes caps and "never negative" hold under
 * concurrency. `debt` is what a refund could not claw back (policy `debt`); later earns repay it.
 */
export const memberBalances = pgTable(
  'member_balances',
  {
    brandId: uuid('brand_id').notNull(),
    memberId: uuid('member_id').notNull(),
    balance: integer('balance').notNull().default(0),
    pending: integer('pending').notNull().default(0),
    debt: integer('debt').notNull().default(0),
    lifetimeEarned: integer('lifetime_earned').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.memberId] }),
    check(
      'member_balances_non_negative',
      sql`${t.balance} >= 0 and ${t.debt} >= 0 and ${t.pending} >= 0`,
    ),
    foreignKey({
      name: 'member_balances_member_fk',
      columns: [t.brandId, t.memberId],
      foreignColumns: [members.brandId, members.id],
    }).onDelete('cascade'),
  ],
);

export const ruleKind = pgEnum('earning_rule_kind', [
  'purchase',
  'signup',
  'profile_completed',
  'birthday',
  'survey',
  'share',
  'referral',
  'review_approved',
  'post_approved',
]);

export type RuleCaps = { perDay?: number; perWeek?: number; perMonth?: number; lifetime?: number };
export type PurchaseRuleConfig = {
  /** Points per one major currency unit paid (default 1). */
  pointsPerUnit?: number;
  minOrderMinor?: number;
  categoryMultipliers?: Record<string, number>;
  productMultipliers?: Record<string, number>;
  excludedCategories?: string[];
  excludedProducts?: string[];
};

/** Data-driven earning rules; every award records the rule that fired. */
export const earningRules = pgTable(
  'earning_rules',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    kind: ruleKind('kind').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    /** Fixed points for behaviour rules (purchase rules use config). */
    points: integer('points').notNull().default(0),
    config: jsonb('config')
      .$type<PurchaseRuleConfig & Record<string, unknown>>()
      .notNull()
      .default({}),
    caps: jsonb('caps').$type<RuleCaps>().notNull().default({}),
    validFrom: timestamp('valid_from', { withTimezone: true }),
    validTo: timestamp('valid_to', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('earning_rules_kind_idx').on(t.brandId, t.kind),
  ],
);

/** Refunds as sent by the storefront, idempotent on their id. */
export const refunds = pgTable(
  'refunds',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    externalId: text('external_id').notNull(),
    orderId: uuid('order_id').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    /** [{ lineNo, quantity, amountMinor }] */
    lines: jsonb('lines')
      .$type<{ lineNo: number; quantity: number; amountMinor: number }[]>()
      .notNull(),
    pointsReversed: integer('points_reversed').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('refunds_external_key').on(t.brandId, t.externalId),
    index('refunds_order_idx').on(t.brandId, t.orderId),
    // Analytics rollups look for refunds since their last run (ADR 0021).
    index('refunds_brand_created_idx').on(t.brandId, t.createdAt),
    foreignKey({
      name: 'refunds_order_fk',
      columns: [t.brandId, t.orderId],
      foreignColumns: [orders.brandId, orders.id],
    }),
  ],
);

export const tiers = pgTable(
  'tiers',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** 0 is the entry tier; higher is better. */
    rank: integer('rank').notNull(),
    minSpendMinor: bigint('min_spend_minor', { mode: 'number' }).notNull().default(0),
    minOrders: integer('min_orders').notNull().default(0),
    minEngagementPoints: integer('min_engagement_points').notNull().default(0),
    /** Earning multiplier in basis points (10,000 = ×1). */
    multiplierBp: integer('multiplier_bp').notNull().default(10000),
    perks: jsonb('perks').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('tiers_rank_key').on(t.brandId, t.rank),
    uniqueIndex('tiers_code_key').on(t.brandId, t.code),
  ],
);

export const memberTiers = pgTable(
  'member_tiers',
  {
    brandId: uuid('brand_id').notNull(),
    memberId: uuid('member_id').notNull(),
    tierId: uuid('tier_id').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
    /** Set when a downgrade warning was sent for the next review; cleared when requalified. */
    downgradeWarnedAt: timestamp('downgrade_warned_at', { withTimezone: true }),
    nextReviewAt: timestamp('next_review_at', { withTimezone: true }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.memberId] }),
    index('member_tiers_review_idx').on(t.nextReviewAt),
    foreignKey({
      name: 'member_tiers_member_fk',
      columns: [t.brandId, t.memberId],
      foreignColumns: [members.brandId, members.id],
    }).onDelete('cascade'),
  ],
);

export const tierHistory = pgTable(
  'tier_history',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    memberId: uuid('member_id').notNull(),
    fromTierId: uuid('from_tier_id'),
    toTierId: uuid('to_tier_id').notNull(),
    reason: text('reason').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('tier_history_member_idx').on(t.brandId, t.memberId, t.createdAt),
  ],
);

export const couponKind = pgEnum('coupon_kind', ['amount_off', 'percent_off', 'free_item']);

export const couponTemplates = pgTable(
  'coupon_templates',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    kind: couponKind('kind').notNull(),
    /** amount_off: minor units; percent_off: basis points; free_item: unused. */
    value: integer('value').notNull().default(0),
    freeProductId: text('free_product_id'),
    minSpendMinor: bigint('min_spend_minor', { mode: 'number' }).notNull().default(0),
    /** Days an issued code stays valid (null: until valid_to). */
    validDays: integer('valid_days'),
    validFrom: timestamp('valid_from', { withTimezone: true }),
    validTo: timestamp('valid_to', { withTimezone: true }),
    stackable: boolean('stackable').notNull().default(false),
    /** Total discount the brand is willing to give through this template (minor units). */
    budgetMinor: bigint('budget_minor', { mode: 'number' }),
    spentMinor: bigint('spent_minor', { mode: 'number' }).notNull().default(0),
    maxIssued: integer('max_issued'),
    issuedCount: integer('issued_count').notNull().default(0),
    perMemberCap: integer('per_member_cap'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    check(
      'coupon_templates_budget',
      sql`${t.budgetMinor} is null or ${t.spentMinor} <= ${t.budgetMinor}`,
    ),
    check(
      'coupon_templates_issued',
      sql`${t.maxIssued} is null or ${t.issuedCount} <= ${t.maxIssued}`,
    ),
  ],
);

export const couponStatus = pgEnum('coupon_status', ['issued', 'redeemed', 'expired', 'void']);

export const coupons = pgTable(
  'coupons',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    templateId: uuid('template_id').notNull(),
    code: text('code').notNull(),
    memberId: uuid('member_id'),
    status: couponStatus('status').notNull().default('issued'),
    /** What issued it: reward redemption, campaign, review, staff. */
    source: text('source').notNull(),
    sourceId: text('source_id'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
    redeemedOrderId: text('redeemed_order_id'),
    discountMinor: bigint('discount_minor', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('coupons_code_key').on(t.brandId, t.code),
    index('coupons_member_idx').on(t.brandId, t.memberId, t.status),
    // The dashboard counts coupons issued and redeemed in a window (ADR 0021).
    index('coupons_brand_issued_idx').on(t.brandId, t.issuedAt),
    index('coupons_brand_redeemed_idx')
      .on(t.brandId, t.redeemedAt)
      .where(sql`${t.redeemedAt} is not null`),
    uniqueIndex('coupons_source_key')
      .on(t.brandId, t.source, t.sourceId)
      .where(sql`${t.sourceId} is not null`),
  ],
);

export const rewardType = pgEnum('reward_type', [
  'coupon',
  'product',
  'service',
  'experience',
  'donation',
]);

export const rewards = pgTable(
  'rewards',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    type: rewardType('type').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    costPoints: integer('cost_points').notNull(),
    /** null: unlimited. */
    stock: integer('stock'),
    perMemberLimit: integer('per_member_limit'),
    minTierRank: integer('min_tier_rank').notNull().default(0),
    couponTemplateId: uuid('coupon_template_id'),
    validFrom: timestamp('valid_from', { withTimezone: true }),
    validTo: timestamp('valid_to', { withTimezone: true }),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    check('rewards_stock_non_negative', sql`${t.stock} is null or ${t.stock} >= 0`),
    check('rewards_cost_positive', sql`${t.costPoints} > 0`),
  ],
);

export const rewardRedemptions = pgTable(
  'reward_redemptions',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    rewardId: uuid('reward_id').notNull(),
    memberId: uuid('member_id').notNull(),
    points: integer('points').notNull(),
    status: text('status').notNull().default('completed'),
    /** The caller's Idempotency-Key: a retry returns the same redemption. */
    idempotencyKey: text('idempotency_key').notNull(),
    ledgerEntryId: uuid('ledger_entry_id'),
    couponId: uuid('coupon_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('reward_redemptions_idempotency_key').on(t.brandId, t.memberId, t.idempotencyKey),
    index('reward_redemptions_member_reward_idx').on(t.brandId, t.memberId, t.rewardId),
  ],
);

/** Where a brand wants its signed event webhooks. */
export const brandWebhooks = pgTable(
  'brand_webhooks',
  {
    brandId: brandId(),
    id: uuid('id').notNull().defaultRandom(),
    url: text('url').notNull(),
    /** Signing secret (HMAC-SHA256); shown once to the brand. */
    secret: text('secret').notNull(),
    /** Topics delivered; empty = all. */
    topics: jsonb('topics').$type<string[]>().notNull().default([]),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.id] })],
);
