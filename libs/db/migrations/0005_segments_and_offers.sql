CREATE TYPE "public"."campaign_arm" AS ENUM('treatment', 'holdout');--> statement-breakpoint
CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'active', 'paused', 'ended');--> statement-breakpoint
CREATE TYPE "public"."lifecycle_stage" AS ENUM('new', 'active', 'at_risk', 'dormant', 'churned');--> statement-breakpoint
CREATE TYPE "public"."offer_status" AS ENUM('held_out', 'suppressed', 'issued', 'delivered', 'opened', 'redeemed', 'expired');--> statement-breakpoint
CREATE TABLE "campaign_assignments" (
	"brand_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"arm" "campaign_arm" NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_assignments_brand_id_campaign_id_member_id_pk" PRIMARY KEY("brand_id","campaign_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"status" "campaign_status" DEFAULT 'draft' NOT NULL,
	"trigger" jsonb NOT NULL,
	"audience" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reward" jsonb NOT NULL,
	"message" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"caps" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"holdout_bp" integer DEFAULT 1000 NOT NULL,
	"seed" text NOT NULL,
	"attribution_days" integer DEFAULT 14 NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"spent_minor" bigint DEFAULT 0 NOT NULL,
	"spent_points" bigint DEFAULT 0 NOT NULL,
	"overrides" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_brand_id_id_pk" PRIMARY KEY("brand_id","id"),
	CONSTRAINT "campaigns_holdout_range" CHECK ("campaigns"."holdout_bp" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "member_segments" (
	"brand_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"rfm_r" smallint NOT NULL,
	"rfm_f" smallint NOT NULL,
	"rfm_m" smallint NOT NULL,
	"lifecycle" "lifecycle_stage" NOT NULL,
	"value_tier" text NOT NULL,
	"persona" text NOT NULL,
	"last_order_at" timestamp with time zone,
	"orders" integer DEFAULT 0 NOT NULL,
	"revenue_minor" bigint DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_segments_brand_id_member_id_pk" PRIMARY KEY("brand_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "member_tags" (
	"brand_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_tags_brand_id_member_id_tag_pk" PRIMARY KEY("brand_id","member_id","tag")
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"occurrence_key" text NOT NULL,
	"arm" "campaign_arm" NOT NULL,
	"status" "offer_status" NOT NULL,
	"reason" text,
	"coupon_id" uuid,
	"points" integer DEFAULT 0 NOT NULL,
	"cost_minor" bigint DEFAULT 0 NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"redeemed_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	CONSTRAINT "offers_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "segment_history" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"dimension" text NOT NULL,
	"from_value" text,
	"to_value" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segment_history_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segments_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segments" ADD CONSTRAINT "segments_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaigns_brand_status_idx" ON "campaigns" USING btree ("brand_id","status");--> statement-breakpoint
CREATE INDEX "member_segments_lifecycle_idx" ON "member_segments" USING btree ("brand_id","lifecycle");--> statement-breakpoint
CREATE INDEX "member_tags_tag_idx" ON "member_tags" USING btree ("brand_id","tag");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_occurrence_key" ON "offers" USING btree ("brand_id","campaign_id","occurrence_key");--> statement-breakpoint
CREATE INDEX "offers_member_idx" ON "offers" USING btree ("brand_id","member_id","issued_at");--> statement-breakpoint
CREATE INDEX "offers_campaign_idx" ON "offers" USING btree ("brand_id","campaign_id","arm","status");--> statement-breakpoint
CREATE INDEX "segment_history_member_idx" ON "segment_history" USING btree ("brand_id","member_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "segments_brand_name_key" ON "segments" USING btree ("brand_id","name");