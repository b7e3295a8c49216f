CREATE TABLE "analytics_daily" (
	"brand_id" uuid NOT NULL,
	"day" date NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"revenue_minor" bigint DEFAULT 0 NOT NULL,
	"earned" bigint DEFAULT 0 NOT NULL,
	"redeemed" bigint DEFAULT 0 NOT NULL,
	"expired" bigint DEFAULT 0 NOT NULL,
	"posts" integer DEFAULT 0 NOT NULL,
	"comments" integer DEFAULT 0 NOT NULL,
	"reviews" integer DEFAULT 0 NOT NULL,
	"reviewed_orders" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_daily_brand_id_day_pk" PRIMARY KEY("brand_id","day")
);
--> statement-breakpoint
CREATE TABLE "analytics_member_days" (
	"brand_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"bits" "bytea" NOT NULL,
	CONSTRAINT "analytics_member_days_brand_id_day_kind_pk" PRIMARY KEY("brand_id","day","kind")
);
--> statement-breakpoint
CREATE TABLE "analytics_members" (
	"brand_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"idx" integer NOT NULL,
	"first_any_at" timestamp with time zone,
	"first_at" timestamp with time zone,
	"second_at" timestamp with time zone,
	CONSTRAINT "analytics_members_brand_id_member_id_pk" PRIMARY KEY("brand_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_rollup_state" (
	"brand_id" uuid PRIMARY KEY NOT NULL,
	"through_day" date NOT NULL,
	"watermark" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD CONSTRAINT "analytics_daily_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_member_days" ADD CONSTRAINT "analytics_member_days_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_members" ADD CONSTRAINT "analytics_members_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_rollup_state" ADD CONSTRAINT "analytics_rollup_state_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_members_idx_key" ON "analytics_members" USING btree ("brand_id","idx");--> statement-breakpoint
CREATE INDEX "analytics_members_first_idx" ON "analytics_members" USING btree ("brand_id","first_any_at");--> statement-breakpoint
CREATE INDEX "orders_brand_created_idx" ON "orders" USING btree ("brand_id","created_at");--> statement-breakpoint
CREATE INDEX "coupons_brand_issued_idx" ON "coupons" USING btree ("brand_id","issued_at");--> statement-breakpoint
CREATE INDEX "coupons_brand_redeemed_idx" ON "coupons" USING btree ("brand_id","redeemed_at") WHERE "coupons"."redeemed_at" is not null;--> statement-breakpoint
CREATE INDEX "ledger_entries_brand_created_idx" ON "ledger_entries" USING btree ("brand_id","created_at");--> statement-breakpoint
CREATE INDEX "refunds_brand_created_idx" ON "refunds" USING btree ("brand_id","created_at");--> statement-breakpoint
CREATE INDEX "comments_brand_created_idx" ON "comments" USING btree ("brand_id","created_at");--> statement-breakpoint
CREATE INDEX "posts_brand_created_idx" ON "posts" USING btree ("brand_id","created_at");--> statement-breakpoint
CREATE INDEX "reviews_brand_created_idx" ON "reviews" USING btree ("brand_id","created_at");--> statement-breakpoint
CREATE INDEX "offers_brand_issued_idx" ON "offers" USING btree ("brand_id","issued_at");