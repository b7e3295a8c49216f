CREATE TYPE "public"."drop_chat_status" AS ENUM('published', 'deleted');--> statement-breakpoint
CREATE TYPE "public"."drop_mode" AS ENUM('first_come', 'raffle');--> statement-breakpoint
CREATE TYPE "public"."drop_status" AS ENUM('draft', 'scheduled', 'early_access', 'live', 'sold_out', 'ended', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."drop_raffle_result" AS ENUM('pending', 'won', 'lost');--> statement-breakpoint
CREATE TYPE "public"."drop_reservation_status" AS ENUM('held', 'confirmed', 'expired', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."model_kind" AS ENUM('recommender', 'timing');--> statement-breakpoint
CREATE TYPE "public"."model_status" AS ENUM('candidate', 'active', 'retired', 'rejected');--> statement-breakpoint
CREATE TABLE "drop_announcements" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"drop_id" uuid NOT NULL,
	"body" text NOT NULL,
	"pinned" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drop_announcements_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "drop_chat_messages" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"drop_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"body" text NOT NULL,
	"status" "drop_chat_status" DEFAULT 'published' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "drop_chat_messages_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "drop_raffle_entries" (
	"brand_id" uuid NOT NULL,
	"drop_id" uuid NOT NULL,
	"sku_id" text NOT NULL,
	"member_id" uuid NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"result" "drop_raffle_result" DEFAULT 'pending' NOT NULL,
	"reservation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drop_raffle_entries_brand_id_drop_id_sku_id_member_id_pk" PRIMARY KEY("brand_id","drop_id","sku_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "drop_reservations" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"drop_id" uuid NOT NULL,
	"sku_id" text NOT NULL,
	"member_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"status" "drop_reservation_status" DEFAULT 'held' NOT NULL,
	"idempotency_key" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "drop_reservations_brand_id_id_pk" PRIMARY KEY("brand_id","id"),
	CONSTRAINT "drop_reservations_quantity" CHECK ("drop_reservations"."quantity" >= 1)
);
--> statement-breakpoint
CREATE TABLE "drop_skus" (
	"brand_id" uuid NOT NULL,
	"drop_id" uuid NOT NULL,
	"id" text NOT NULL,
	"product_id" text NOT NULL,
	"name" text NOT NULL,
	"category" text,
	"price_minor" bigint NOT NULL,
	"stock" integer NOT NULL,
	"per_member_limit" integer DEFAULT 1 NOT NULL,
	"sold" integer DEFAULT 0 NOT NULL,
	"sold_out_at" timestamp with time zone,
	CONSTRAINT "drop_skus_brand_id_drop_id_id_pk" PRIMARY KEY("brand_id","drop_id","id"),
	CONSTRAINT "drop_skus_stock" CHECK ("drop_skus"."stock" >= 0 and "drop_skus"."sold" >= 0 and "drop_skus"."sold" <= "drop_skus"."stock"),
	CONSTRAINT "drop_skus_limit" CHECK ("drop_skus"."per_member_limit" >= 1)
);
--> statement-breakpoint
CREATE TABLE "drop_transitions" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"drop_id" uuid NOT NULL,
	"from_status" "drop_status" NOT NULL,
	"to_status" "drop_status" NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drop_transitions_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "drops" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"host_name" text DEFAULT '' NOT NULL,
	"stream_url" text,
	"status" "drop_status" DEFAULT 'draft' NOT NULL,
	"mode" "drop_mode" DEFAULT 'first_come' NOT NULL,
	"early_access_tier_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"early_access_at" timestamp with time zone,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"hold_seconds" integer DEFAULT 300 NOT NULL,
	"raffle_opens_at" timestamp with time zone,
	"raffle_closes_at" timestamp with time zone,
	"raffle_seed" text,
	"raffle_drawn_at" timestamp with time zone,
	"version" integer DEFAULT 0 NOT NULL,
	"peak_viewers" integer DEFAULT 0 NOT NULL,
	"chat_messages" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drops_brand_id_id_pk" PRIMARY KEY("brand_id","id"),
	CONSTRAINT "drops_window_order" CHECK ("drops"."starts_at" < "drops"."ends_at")
);
--> statement-breakpoint
CREATE TABLE "member_factors" (
	"brand_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"vector" "bytea" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_factors_brand_id_member_id_pk" PRIMARY KEY("brand_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "member_predictions" (
	"brand_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"model_version_id" uuid,
	"algorithm" text NOT NULL,
	"next_purchase_at" timestamp with time zone,
	"p7" double precision NOT NULL,
	"p14" double precision NOT NULL,
	"p28" double precision NOT NULL,
	"p_alive" double precision NOT NULL,
	"expected_purchases_12m" double precision NOT NULL,
	"clv_12m_minor" double precision NOT NULL,
	"window_entered_at" timestamp with time zone,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_predictions_brand_id_member_id_pk" PRIMARY KEY("brand_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" "model_kind" NOT NULL,
	"algorithm" text NOT NULL,
	"status" "model_status" DEFAULT 'candidate' NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"data_window" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"artifact" "bytea",
	"artifact_bytes" integer DEFAULT 0 NOT NULL,
	"trained_ms" integer DEFAULT 0 NOT NULL,
	"backend" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone,
	CONSTRAINT "model_versions_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
ALTER TABLE "drop_raffle_entries" ADD CONSTRAINT "drop_raffle_entries_sku_fk" FOREIGN KEY ("brand_id","drop_id","sku_id") REFERENCES "public"."drop_skus"("brand_id","drop_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drop_reservations" ADD CONSTRAINT "drop_reservations_sku_fk" FOREIGN KEY ("brand_id","drop_id","sku_id") REFERENCES "public"."drop_skus"("brand_id","drop_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drop_reservations" ADD CONSTRAINT "drop_reservations_member_fk" FOREIGN KEY ("brand_id","member_id") REFERENCES "public"."members"("brand_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drop_skus" ADD CONSTRAINT "drop_skus_drop_fk" FOREIGN KEY ("brand_id","drop_id") REFERENCES "public"."drops"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drops" ADD CONSTRAINT "drops_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "drop_announcements_drop_idx" ON "drop_announcements" USING btree ("brand_id","drop_id","created_at");--> statement-breakpoint
CREATE INDEX "drop_chat_messages_drop_idx" ON "drop_chat_messages" USING btree ("brand_id","drop_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "drop_reservations_idempotency_key" ON "drop_reservations" USING btree ("brand_id","drop_id","member_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "drop_reservations_one_active_hold" ON "drop_reservations" USING btree ("brand_id","drop_id","sku_id","member_id") WHERE "drop_reservations"."status" = 'held';--> statement-breakpoint
CREATE INDEX "drop_reservations_expiring_idx" ON "drop_reservations" USING btree ("expires_at") WHERE "drop_reservations"."status" = 'held';--> statement-breakpoint
CREATE INDEX "drop_reservations_drop_idx" ON "drop_reservations" USING btree ("brand_id","drop_id","sku_id","status");--> statement-breakpoint
CREATE INDEX "drop_transitions_drop_idx" ON "drop_transitions" USING btree ("brand_id","drop_id","at");--> statement-breakpoint
CREATE INDEX "drops_brand_starts_idx" ON "drops" USING btree ("brand_id","starts_at");--> statement-breakpoint
CREATE INDEX "member_predictions_p7_idx" ON "member_predictions" USING btree ("brand_id","p7");--> statement-breakpoint
CREATE INDEX "member_predictions_alive_idx" ON "member_predictions" USING btree ("brand_id","p_alive");--> statement-breakpoint
CREATE INDEX "member_predictions_next_idx" ON "member_predictions" USING btree ("brand_id","next_purchase_at");--> statement-breakpoint
CREATE INDEX "model_versions_brand_kind_idx" ON "model_versions" USING btree ("brand_id","kind","status","created_at");