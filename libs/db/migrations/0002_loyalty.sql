CREATE TYPE "public"."order_status" AS ENUM('paid', 'partially_refunded', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."clawback_policy" AS ENUM('debt', 'cap');--> statement-breakpoint
CREATE TYPE "public"."coupon_kind" AS ENUM('amount_off', 'percent_off', 'free_item');--> statement-breakpoint
CREATE TYPE "public"."coupon_status" AS ENUM('issued', 'redeemed', 'expired', 'void');--> statement-breakpoint
CREATE TYPE "public"."points_expiry_mode" AS ENUM('rolling', 'end_of_month', 'end_of_year', 'never');--> statement-breakpoint
CREATE TYPE "public"."ledger_kind" AS ENUM('earn', 'redeem', 'expire', 'adjust', 'reverse');--> statement-breakpoint
CREATE TYPE "public"."ledger_source" AS ENUM('order', 'refund', 'rule', 'redemption', 'staff', 'expiry', 'system');--> statement-breakpoint
CREATE TYPE "public"."reward_type" AS ENUM('coupon', 'product', 'service', 'experience', 'donation');--> statement-breakpoint
CREATE TYPE "public"."earning_rule_kind" AS ENUM('purchase', 'signup', 'profile_completed', 'birthday', 'survey', 'share', 'referral', 'review_approved', 'post_approved');--> statement-breakpoint
CREATE TABLE "brand_webhooks" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"topics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brand_webhooks_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "coupon_templates" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "coupon_kind" NOT NULL,
	"value" integer DEFAULT 0 NOT NULL,
	"free_product_id" text,
	"min_spend_minor" bigint DEFAULT 0 NOT NULL,
	"valid_days" integer,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"stackable" boolean DEFAULT false NOT NULL,
	"budget_minor" bigint,
	"spent_minor" bigint DEFAULT 0 NOT NULL,
	"max_issued" integer,
	"issued_count" integer DEFAULT 0 NOT NULL,
	"per_member_cap" integer,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupon_templates_brand_id_id_pk" PRIMARY KEY("brand_id","id"),
	CONSTRAINT "coupon_templates_budget" CHECK ("coupon_templates"."budget_minor" is null or "coupon_templates"."spent_minor" <= "coupon_templates"."budget_minor"),
	CONSTRAINT "coupon_templates_issued" CHECK ("coupon_templates"."max_issued" is null or "coupon_templates"."issued_count" <= "coupon_templates"."max_issued")
);
--> statement-breakpoint
CREATE TABLE "coupons" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"template_id" uuid NOT NULL,
	"code" text NOT NULL,
	"member_id" uuid,
	"status" "coupon_status" DEFAULT 'issued' NOT NULL,
	"source" text NOT NULL,
	"source_id" text,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"redeemed_at" timestamp with time zone,
	"redeemed_order_id" text,
	"discount_minor" bigint,
	CONSTRAINT "coupons_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "earning_rules" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" "earning_rule_kind" NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"caps" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "earning_rules_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" "ledger_kind" NOT NULL,
	"amount" integer NOT NULL,
	"reason" text NOT NULL,
	"source" "ledger_source" NOT NULL,
	"source_id" text,
	"rule_id" uuid,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"dedupe_key" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_brand_id_id_pk" PRIMARY KEY("brand_id","id"),
	CONSTRAINT "ledger_entries_amount_nonzero" CHECK ("ledger_entries"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "lot_allocations" (
	"brand_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"points" integer NOT NULL,
	CONSTRAINT "lot_allocations_brand_id_entry_id_lot_id_pk" PRIMARY KEY("brand_id","entry_id","lot_id"),
	CONSTRAINT "lot_allocations_points_positive" CHECK ("lot_allocations"."points" > 0)
);
--> statement-breakpoint
CREATE TABLE "loyalty_programs" (
	"brand_id" uuid PRIMARY KEY NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"expiry_mode" "points_expiry_mode" DEFAULT 'rolling' NOT NULL,
	"expiry_months" integer DEFAULT 12 NOT NULL,
	"clawback_policy" "clawback_policy" DEFAULT 'debt' NOT NULL,
	"pending_days" integer DEFAULT 0 NOT NULL,
	"expiry_warning_days" integer DEFAULT 30 NOT NULL,
	"point_value_micros" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_balances" (
	"brand_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"debt" integer DEFAULT 0 NOT NULL,
	"lifetime_earned" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_balances_brand_id_member_id_pk" PRIMARY KEY("brand_id","member_id"),
	CONSTRAINT "member_balances_non_negative" CHECK ("member_balances"."balance" >= 0 and "member_balances"."debt" >= 0 and "member_balances"."pending" >= 0)
);
--> statement-breakpoint
CREATE TABLE "member_tiers" (
	"brand_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"tier_id" uuid NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"downgrade_warned_at" timestamp with time zone,
	"next_review_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_tiers_brand_id_member_id_pk" PRIMARY KEY("brand_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "point_lots" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"earn_entry_id" uuid NOT NULL,
	"points" integer NOT NULL,
	"remaining" integer NOT NULL,
	"earned_at" timestamp with time zone NOT NULL,
	"available_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	"warned_at" timestamp with time zone,
	CONSTRAINT "point_lots_brand_id_id_pk" PRIMARY KEY("brand_id","id"),
	CONSTRAINT "point_lots_remaining_range" CHECK ("point_lots"."remaining" >= 0 and "point_lots"."remaining" <= "point_lots"."points")
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text NOT NULL,
	"order_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"lines" jsonb NOT NULL,
	"points_reversed" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "reward_redemptions" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"reward_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"points" integer NOT NULL,
	"status" text DEFAULT 'completed' NOT NULL,
	"idempotency_key" text NOT NULL,
	"ledger_entry_id" uuid,
	"coupon_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_redemptions_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" "reward_type" NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"cost_points" integer NOT NULL,
	"stock" integer,
	"per_member_limit" integer,
	"min_tier_rank" integer DEFAULT 0 NOT NULL,
	"coupon_template_id" uuid,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rewards_brand_id_id_pk" PRIMARY KEY("brand_id","id"),
	CONSTRAINT "rewards_stock_non_negative" CHECK ("rewards"."stock" is null or "rewards"."stock" >= 0),
	CONSTRAINT "rewards_cost_positive" CHECK ("rewards"."cost_points" > 0)
);
--> statement-breakpoint
CREATE TABLE "tier_history" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"from_tier_id" uuid,
	"to_tier_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tier_history_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "tiers" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"rank" integer NOT NULL,
	"min_spend_minor" bigint DEFAULT 0 NOT NULL,
	"min_orders" integer DEFAULT 0 NOT NULL,
	"min_engagement_points" integer DEFAULT 0 NOT NULL,
	"multiplier_bp" integer DEFAULT 10000 NOT NULL,
	"perks" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tiers_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "refunded_quantity" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "refunded_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "points_awarded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "status" "order_status" DEFAULT 'paid' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "refunded_total_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "points_awarded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "brand_webhooks" ADD CONSTRAINT "brand_webhooks_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_templates" ADD CONSTRAINT "coupon_templates_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earning_rules" ADD CONSTRAINT "earning_rules_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_member_fk" FOREIGN KEY ("brand_id","member_id") REFERENCES "public"."members"("brand_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_programs" ADD CONSTRAINT "loyalty_programs_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_balances" ADD CONSTRAINT "member_balances_member_fk" FOREIGN KEY ("brand_id","member_id") REFERENCES "public"."members"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_tiers" ADD CONSTRAINT "member_tiers_member_fk" FOREIGN KEY ("brand_id","member_id") REFERENCES "public"."members"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_lots" ADD CONSTRAINT "point_lots_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_fk" FOREIGN KEY ("brand_id","order_id") REFERENCES "public"."orders"("brand_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD CONSTRAINT "reward_redemptions_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tiers" ADD CONSTRAINT "tiers_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_code_key" ON "coupons" USING btree ("brand_id","code");--> statement-breakpoint
CREATE INDEX "coupons_member_idx" ON "coupons" USING btree ("brand_id","member_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_source_key" ON "coupons" USING btree ("brand_id","source","source_id") WHERE "coupons"."source_id" is not null;--> statement-breakpoint
CREATE INDEX "earning_rules_kind_idx" ON "earning_rules" USING btree ("brand_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_dedupe_key" ON "ledger_entries" USING btree ("brand_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "ledger_entries_member_idx" ON "ledger_entries" USING btree ("brand_id","member_id","created_at","id");--> statement-breakpoint
CREATE INDEX "ledger_entries_rule_idx" ON "ledger_entries" USING btree ("brand_id","member_id","rule_id","created_at") WHERE "ledger_entries"."rule_id" is not null;--> statement-breakpoint
CREATE INDEX "lot_allocations_lot_idx" ON "lot_allocations" USING btree ("brand_id","lot_id");--> statement-breakpoint
CREATE INDEX "member_tiers_review_idx" ON "member_tiers" USING btree ("next_review_at");--> statement-breakpoint
CREATE UNIQUE INDEX "point_lots_earn_entry_key" ON "point_lots" USING btree ("brand_id","earn_entry_id");--> statement-breakpoint
CREATE INDEX "point_lots_open_idx" ON "point_lots" USING btree ("brand_id","member_id","expires_at") WHERE "point_lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "point_lots_expiring_idx" ON "point_lots" USING btree ("expires_at") WHERE "point_lots"."remaining" > 0 and "point_lots"."expired_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_external_key" ON "refunds" USING btree ("brand_id","external_id");--> statement-breakpoint
CREATE INDEX "refunds_order_idx" ON "refunds" USING btree ("brand_id","order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reward_redemptions_idempotency_key" ON "reward_redemptions" USING btree ("brand_id","member_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "reward_redemptions_member_reward_idx" ON "reward_redemptions" USING btree ("brand_id","member_id","reward_id");--> statement-breakpoint
CREATE INDEX "tier_history_member_idx" ON "tier_history" USING btree ("brand_id","member_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tiers_rank_key" ON "tiers" USING btree ("brand_id","rank");--> statement-breakpoint
CREATE UNIQUE INDEX "tiers_code_key" ON "tiers" USING btree ("brand_id","code");