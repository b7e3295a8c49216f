CREATE TYPE "public"."moderation_case_reason" AS ENUM('held', 'flagged', 'reported');--> statement-breakpoint
CREATE TYPE "public"."moderation_case_status" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."community_role" AS ENUM('member', 'moderator', 'owner');--> statement-breakpoint
CREATE TYPE "public"."community_visibility" AS ENUM('public', 'members_only', 'invite');--> statement-breakpoint
CREATE TYPE "public"."content_status" AS ENUM('published', 'held', 'hidden', 'removed', 'deleted');--> statement-breakpoint
CREATE TYPE "public"."moderation_action_kind" AS ENUM('approve', 'hide', 'remove', 'restore', 'dismiss', 'mute', 'unmute', 'ban', 'unban', 'delete_message');--> statement-breakpoint
CREATE TYPE "public"."moderation_match" AS ENUM('keyword', 'regex');--> statement-breakpoint
CREATE TYPE "public"."moderation_rule_action" AS ENUM('block', 'hold', 'flag');--> statement-breakpoint
CREATE TYPE "public"."moderation_target" AS ENUM('post', 'comment', 'review', 'chat_message');--> statement-breakpoint
CREATE TYPE "public"."reaction_kind" AS ENUM('like', 'love', 'haha', 'wow', 'sad', 'fire');--> statement-breakpoint
CREATE TYPE "public"."reaction_target" AS ENUM('post', 'comment');--> statement-breakpoint
CREATE TYPE "public"."report_reason" AS ENUM('spam', 'abuse', 'harassment', 'hate', 'sexual', 'misinformation', 'off_topic', 'other');--> statement-breakpoint
CREATE TYPE "public"."community_sanction_kind" AS ENUM('mute', 'ban');--> statement-breakpoint
CREATE TABLE "comments" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"post_id" uuid NOT NULL,
	"parent_id" uuid,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"status" "content_status" DEFAULT 'published' NOT NULL,
	"text_hash" text NOT NULL,
	"reaction_count" integer DEFAULT 0 NOT NULL,
	"reply_count" integer DEFAULT 0 NOT NULL,
	"edited_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comments_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "communities" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"visibility" "community_visibility" DEFAULT 'public' NOT NULL,
	"rules" text DEFAULT '' NOT NULL,
	"member_count" integer DEFAULT 0 NOT NULL,
	"post_count" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "communities_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "community_invites" (
	"brand_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"invited_by_type" text NOT NULL,
	"invited_by_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	CONSTRAINT "community_invites_brand_id_community_id_member_id_pk" PRIMARY KEY("brand_id","community_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "community_members" (
	"brand_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"role" "community_role" DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_members_brand_id_community_id_member_id_pk" PRIMARY KEY("brand_id","community_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "community_sanctions" (
	"brand_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" "community_sanction_kind" NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_sanctions_brand_id_community_id_member_id_kind_pk" PRIMARY KEY("brand_id","community_id","member_id","kind")
);
--> statement-breakpoint
CREATE TABLE "content_reports" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"target_type" "moderation_target" NOT NULL,
	"target_id" uuid NOT NULL,
	"reporter_id" uuid NOT NULL,
	"reason" "report_reason" NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"case_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_reports_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "moderation_actions" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"action" "moderation_action_kind" NOT NULL,
	"target_type" "moderation_target",
	"target_id" uuid,
	"community_id" uuid,
	"member_id" uuid,
	"case_id" uuid,
	"reason" text NOT NULL,
	"until" timestamp with time zone,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "moderation_actions_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "moderation_cases" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"target_type" "moderation_target" NOT NULL,
	"target_id" uuid NOT NULL,
	"community_id" uuid,
	"member_id" uuid NOT NULL,
	"reason" "moderation_case_reason" NOT NULL,
	"rule_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"report_count" integer DEFAULT 0 NOT NULL,
	"status" "moderation_case_status" DEFAULT 'open' NOT NULL,
	"resolution" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "moderation_cases_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "moderation_rules" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"match" "moderation_match" NOT NULL,
	"pattern" text NOT NULL,
	"action" "moderation_rule_action" NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "moderation_rules_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "poll_votes" (
	"brand_id" uuid NOT NULL,
	"post_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"option_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "poll_votes_brand_id_post_id_member_id_pk" PRIMARY KEY("brand_id","post_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"image_urls" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"product_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"poll" jsonb,
	"review_id" uuid,
	"status" "content_status" DEFAULT 'published' NOT NULL,
	"text_hash" text NOT NULL,
	"reaction_count" integer DEFAULT 0 NOT NULL,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"hot_score" double precision DEFAULT 0 NOT NULL,
	"pinned_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"edited_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "posts_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "reactions" (
	"brand_id" uuid NOT NULL,
	"target_type" "reaction_target" NOT NULL,
	"target_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" "reaction_kind" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reactions_brand_id_target_type_target_id_member_id_pk" PRIMARY KEY("brand_id","target_type","target_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "review_helpful_votes" (
	"brand_id" uuid NOT NULL,
	"review_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_helpful_votes_brand_id_review_id_member_id_pk" PRIMARY KEY("brand_id","review_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"brand_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" text NOT NULL,
	"rating" smallint NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"photo_urls" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" "content_status" DEFAULT 'published' NOT NULL,
	"text_hash" text NOT NULL,
	"community_id" uuid,
	"helpful_count" integer DEFAULT 0 NOT NULL,
	"incentivised" boolean DEFAULT false NOT NULL,
	"approved_at" timestamp with time zone,
	"edited_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reviews_brand_id_id_pk" PRIMARY KEY("brand_id","id"),
	CONSTRAINT "reviews_rating_range" CHECK ("reviews"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_post_fk" FOREIGN KEY ("brand_id","post_id") REFERENCES "public"."posts"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_author_fk" FOREIGN KEY ("brand_id","author_id") REFERENCES "public"."members"("brand_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communities" ADD CONSTRAINT "communities_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_invites" ADD CONSTRAINT "community_invites_community_fk" FOREIGN KEY ("brand_id","community_id") REFERENCES "public"."communities"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_community_fk" FOREIGN KEY ("brand_id","community_id") REFERENCES "public"."communities"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_member_fk" FOREIGN KEY ("brand_id","member_id") REFERENCES "public"."members"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_sanctions" ADD CONSTRAINT "community_sanctions_community_fk" FOREIGN KEY ("brand_id","community_id") REFERENCES "public"."communities"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_rules" ADD CONSTRAINT "moderation_rules_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_votes" ADD CONSTRAINT "poll_votes_post_fk" FOREIGN KEY ("brand_id","post_id") REFERENCES "public"."posts"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_community_fk" FOREIGN KEY ("brand_id","community_id") REFERENCES "public"."communities"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_fk" FOREIGN KEY ("brand_id","author_id") REFERENCES "public"."members"("brand_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_helpful_votes" ADD CONSTRAINT "review_helpful_votes_review_fk" FOREIGN KEY ("brand_id","review_id") REFERENCES "public"."reviews"("brand_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_member_fk" FOREIGN KEY ("brand_id","member_id") REFERENCES "public"."members"("brand_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_post_idx" ON "comments" USING btree ("brand_id","post_id","created_at","id");--> statement-breakpoint
CREATE INDEX "comments_author_text_idx" ON "comments" USING btree ("brand_id","author_id","text_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "communities_brand_slug_key" ON "communities" USING btree ("brand_id","slug");--> statement-breakpoint
CREATE INDEX "community_members_member_idx" ON "community_members" USING btree ("brand_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "content_reports_once_key" ON "content_reports" USING btree ("brand_id","target_type","target_id","reporter_id");--> statement-breakpoint
CREATE INDEX "moderation_actions_target_idx" ON "moderation_actions" USING btree ("brand_id","target_type","target_id");--> statement-breakpoint
CREATE INDEX "moderation_actions_created_idx" ON "moderation_actions" USING btree ("brand_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "moderation_cases_open_key" ON "moderation_cases" USING btree ("brand_id","target_type","target_id") WHERE "moderation_cases"."status" = 'open';--> statement-breakpoint
CREATE INDEX "moderation_cases_queue_idx" ON "moderation_cases" USING btree ("brand_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "posts_feed_new_idx" ON "posts" USING btree ("brand_id","community_id","created_at","id");--> statement-breakpoint
CREATE INDEX "posts_feed_hot_idx" ON "posts" USING btree ("brand_id","community_id","hot_score","id");--> statement-breakpoint
CREATE INDEX "posts_author_idx" ON "posts" USING btree ("brand_id","author_id","created_at");--> statement-breakpoint
CREATE INDEX "posts_author_text_idx" ON "posts" USING btree ("brand_id","author_id","text_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_order_line_key" ON "reviews" USING btree ("brand_id","order_id","line_no");--> statement-breakpoint
CREATE INDEX "reviews_product_idx" ON "reviews" USING btree ("brand_id","product_id","status","created_at");--> statement-breakpoint
CREATE INDEX "reviews_member_idx" ON "reviews" USING btree ("brand_id","member_id","created_at");