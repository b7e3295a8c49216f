import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { brands } from './identity';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const lifecycleStage = pgEnum('lifecycle_stage', [
  'new',
  'active',
  'at_risk',
  'dormant',
  'churned',
]);

/**
 * Computed segmentation attributes of a member (客户分层), recomputed by a job and on events:
 * RFM quintiles (5 = best), lifecycle stage, value tier, persona from coupon usage.
 */
export const memberSegments = pgTable(
  'member_segments',
  {
    brandId: uuid('brand_id').notNull(),
    memberId: uuid('member_id').notNull(),
    recency: smallint('rfm_r').notNull(),
    frequency: smallint('rfm_f').notNull(),
    monetary: smallint('rfm_m').notNull(),
    lifecycle: lifecycleStage('lifecycle').notNull(),
    /** e.g. `top`, `high`, `mid`, `low` (documented thresholds). */
    valueTier: text('value_tier').notNull(),
    /** `discount_driven` | `full_price` | `mixed` | `unknown`. */
    persona: text('persona').notNull(),
    lastOrderAt: timestamp('last_order_at', { withTimezone: true }),
    orders: integer('orders').notNull().default(0),
    revenueMinor: bigint('revenue_minor', { mode: 'number' }).notNull().default(0),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.memberId] }),
    index('member_segments_lifecycle_idx').on(t.brandId, t.lifecycle),
  ],
);

/** Every change of a member's lifecycle / value tier / persona (segment membership history). */
export const segmentHistory = pgTable(
  'segment_history',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    memberId: uuid('member_id').notNull(),
    dimension: text('dimension').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('segment_history_member_idx').on(t.brandId, t.memberId, t.at),
  ],
);

/** Tags on members, set by staff or by rules. */
export const memberTags = pgTable(
  'member_tags',
  {
    brandId: uuid('brand_id').notNull(),
    memberId: uuid('member_id').notNull(),
    tag: text('tag').notNull(),
    source: text('source').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.memberId, t.tag] }),
    index('member_tags_tag_idx').on(t.brandId, t.tag),
  ],
);

/** Named segments: a stored definition (conditions over the attributes above, tiers, tags,
 * communities, predictions) evaluated on demand. */
export const segments = pgTable(
  'segments',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('segments_brand_name_key').on(t.brandId, t.name),
  ],
);

export const campaignStatus = pgEnum('campaign_status', ['draft', 'active', 'paused', 'ended']);

/**
 * A triggered campaign (触发式营销): trigger, audience, reward, message, caps, schedule, holdout.
 * `spentMinor` / `spentPoints` are reserved with a conditional UPDATE, so parallel workers can
 * never overspend the budget.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    status: campaignStatus('status').notNull().default('draft'),
    /** { type, ...params } e.g. { type: 'days_since_last_purchase', days: 30 }. */
    trigger: jsonb('trigger').$type<Record<string, unknown>>().notNull(),
    /** { segmentIds?, lifecycle?, tierIds?, communityIds? } */
    audience: jsonb('audience').$type<Record<string, unknown>>().notNull().default({}),
    /** { type: 'coupon' | 'points' | 'multiplier' | 'reward', ... } */
    reward: jsonb('reward').$type<Record<string, unknown>>().notNull(),
    /** { template, channels: ['in_app', 'webhook'] } */
    message: jsonb('message').$type<Record<string, unknown>>().notNull().default({}),
    /** { budgetMinor?, budgetPoints?, perMemberPerDays?, quietHours?, ... } */
    caps: jsonb('caps').$type<Record<string, unknown>>().notNull().default({}),
    /** Holdout share in basis points (1000 = 10 %). */
    holdoutBp: integer('holdout_bp').notNull().default(1000),
    /** Seed of the stable treatment/holdout hash. */
    seed: text('seed').notNull(),
    attributionDays: integer('attribution_days').notNull().default(14),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    spentMinor: bigint('spent_minor', { mode: 'number' }).notNull().default(0),
    spentPoints: bigint('spent_points', { mode: 'number' }).notNull().default(0),
    /** Explicit acknowledgements (e.g. `{ noCap: true, noHoldout: true }`). */
    overrides: jsonb('overrides').$type<Record<string, boolean>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('campaigns_brand_status_idx').on(t.brandId, t.status),
    check('campaigns_holdout_range', sql`${t.holdoutBp} between 0 and 10000`),
  ],
);

export const campaignArm = pgEnum('campaign_arm', ['treatment', 'holdout']);

/** A member's arm in a campaign, fixed at first eligibility (never flips). */
export const campaignAssignments = pgTable(
  'campaign_assignments',
  {
    brandId: uuid('brand_id').notNull(),
    campaignId: uuid('campaign_id').notNull(),
    memberId: uuid('member_id').notNull(),
    arm: campaignArm('arm').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.campaignId, t.memberId] })],
);

export const offerStatus = pgEnum('offer_status', [
  'held_out',
  'suppressed',
  'issued',
  'delivered',
  'opened',
  'redeemed',
  'expired',
]);

/**
 * One row per trigger occurrence per campaign and member (unique `occurrence_key`: never sent
 * twice), in either arm — holdout rows are what the uplift is measured against. `suppressed`
 * records a cap, quiet-hours or contact-pressure decision with its reason.
 */
export const offers = pgTable(
  'offers',
  {
    brandId: uuid('brand_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    memberId: uuid('member_id').notNull(),
    occurrenceKey: text('occurrence_key').notNull(),
    arm: campaignArm('arm').notNull(),
    status: offerStatus('status').notNull(),
    reason: text('reason'),
    couponId: uuid('coupon_id'),
    points: integer('points').notNull().default(0),
    costMinor: bigint('cost_minor', { mode: 'number' }).notNull().default(0),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
    expiredAt: timestamp('expired_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('offers_occurrence_key').on(t.brandId, t.campaignId, t.occurrenceKey),
    index('offers_member_idx').on(t.brandId, t.memberId, t.issuedAt),
    index('offers_campaign_idx').on(t.brandId, t.campaignId, t.arm, t.status),
    index('offers_brand_issued_idx').on(t.brandId, t.issuedAt),
  ],
);
