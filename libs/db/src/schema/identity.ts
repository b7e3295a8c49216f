import { sql } from 'drizzle-orm';
import {
  bigserial,
  date,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A brand is the tenant: every other tenant-owned table leads its key with brand_id. */
export const brands = pgTable(
  'brands',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** Brand-level knobs (currency, timezone, programme settings); validated by the owning context. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('brands_slug_key').on(t.slug)],
);

export const staffRole = pgEnum('staff_role', ['owner', 'moderator', 'marketer']);

export const staffUsers = pgTable(
  'staff_users',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: staffRole('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('staff_users_brand_email_key').on(t.brandId, sql`lower(${t.email})`),
  ],
);

export type MemberConsents = {
  email: boolean;
  sms: boolean;
  push: boolean;
  /** Use of purchase history for personalised recommendations and offers. */
  personalisation: boolean;
};

export type MemberProfile = {
  gender?: string;
  city?: string;
  country?: string;
  locale?: string;
  avatarUrl?: string;
  interests?: string[];
};

export const members = pgTable(
  'members',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    /** The storefront's own customer id, when the member came from an order feed. */
    externalId: text('external_id'),
    email: text('email'),
    phone: text('phone'),
    passwordHash: text('password_hash'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    birthday: date('birthday', { mode: 'string' }),
    profile: jsonb('profile').$type<MemberProfile>().notNull().default({}),
    consents: jsonb('consents')
      .$type<MemberConsents>()
      .notNull()
      .default({ email: false, sms: false, push: false, personalisation: false }),
    referralCode: text('referral_code').notNull(),
    referredBy: uuid('referred_by'),
    profileCompletedAt: timestamp('profile_completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('members_brand_email_key')
      .on(t.brandId, sql`lower(${t.email})`)
      .where(sql`${t.email} is not null`),
    uniqueIndex('members_brand_phone_key')
      .on(t.brandId, t.phone)
      .where(sql`${t.phone} is not null`),
    uniqueIndex('members_brand_external_key')
      .on(t.brandId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    uniqueIndex('members_brand_referral_code_key').on(t.brandId, t.referralCode),
    /** Staff member listing pages by (created_at, id) newest first. */
    index('members_brand_created_idx').on(t.brandId, t.createdAt, t.id),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    /** Public, non-secret lookup part of the key (`lk_<prefix>_<secret>`); globally unique. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the 256-bit random secret: high-entropy keys need no slow KDF (see ADR 0005). */
    secretHash: text('secret_hash').notNull(),
    createdBy: uuid('created_by'),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('api_keys_prefix_key').on(t.prefix),
  ],
);

export const subjectType = pgEnum('subject_type', ['member', 'staff']);

/** Refresh tokens, rotated on every use; re-use of a rotated token revokes its whole family. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    familyId: uuid('family_id').notNull(),
    subjectType: subjectType('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    uniqueIndex('refresh_tokens_hash_key').on(t.tokenHash),
    index('refresh_tokens_family_idx').on(t.brandId, t.familyId),
    /** Revoking every session of a subject (staff disabled, password changed). */
    index('refresh_tokens_subject_idx').on(t.brandId, t.subjectId),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    id: bigserial('id', { mode: 'number' }).notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index('audit_log_brand_created_idx').on(t.brandId, t.createdAt),
  ],
);
