import {
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { brands } from './identity';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const modelKind = pgEnum('model_kind', ['recommender', 'timing']);
export const modelStatus = pgEnum('model_status', ['candidate', 'active', 'retired', 'rejected']);

/**
 * Trained model versions per brand: the artifact (serialised, compressed), its validation
 * metrics, hyper-parameters and the data window it saw. At most one `active` version per brand
 * and kind; a candidate is promoted only if its metrics are not worse (rollback re-activates an
 * older one).
 */
export const modelVersions = pgTable(
  'model_versions',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    kind: modelKind('kind').notNull(),
    /** e.g. `ials`, `ease`, `blend`, `bgnbd`, `hazard`. */
    algorithm: text('algorithm').notNull(),
    status: modelStatus('status').notNull().default('candidate'),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    metrics: jsonb('metrics').$type<Record<string, number>>().notNull().default({}),
    /** { from, to, interactions, members, items } */
    dataWindow: jsonb('data_window').$type<Record<string, unknown>>().notNull().default({}),
    artifact: bytea('artifact'),
    artifactBytes: integer('artifact_bytes').notNull().default(0),
    trainedMs: integer('trained_ms').notNull().default(0),
    backend: text('backend'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('model_versions_brand_kind_idx').on(t.brandId, t.kind, t.status, t.createdAt),
  ],
);

/**
 * Per-member next-purchase timing and value, refreshed nightly and after each order of the
 * member. `windowEnteredAt` marks when the member last entered a predicted purchase window (the
 * trigger event is published once per window).
 */
export const memberPredictions = pgTable(
  'member_predictions',
  {
    brandId: uuid('brand_id').notNull(),
    memberId: uuid('member_id').notNull(),
    modelVersionId: uuid('model_version_id'),
    algorithm: text('algorithm').notNull(),
    nextPurchaseAt: timestamp('next_purchase_at', { withTimezone: true }),
    p7: doublePrecision('p7').notNull(),
    p14: doublePrecision('p14').notNull(),
    p28: doublePrecision('p28').notNull(),
    pAlive: doublePrecision('p_alive').notNull(),
    expectedPurchases12m: doublePrecision('expected_purchases_12m').notNull(),
    /** Discounted expected value over 12 months, minor units. */
    clv12mMinor: doublePrecision('clv_12m_minor').notNull(),
    windowEnteredAt: timestamp('window_entered_at', { withTimezone: true }),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.memberId] }),
    index('member_predictions_p7_idx').on(t.brandId, t.p7),
    index('member_predictions_alive_idx').on(t.brandId, t.pAlive),
    index('member_predictions_next_idx').on(t.brandId, t.nextPurchaseAt),
  ],
);

/** Folded-in member factors (fresh recommendations without retraining), per model version. */
export const memberFactors = pgTable(
  'member_factors',
  {
    brandId: uuid('brand_id').notNull(),
    memberId: uuid('member_id').notNull(),
    modelVersionId: uuid('model_version_id').notNull(),
    /** Float32 little-endian vector. */
    vector: bytea('vector').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.memberId] })],
);
