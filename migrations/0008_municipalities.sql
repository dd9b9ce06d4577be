-- #21 step 1 (ADR 0006): municipalities (tenants) and municipality_id on every tenant-owned
-- table. An existing installation becomes a region of one: the default municipality (fixed id,
-- slug "default") is created and every existing row is given to it, then the column is made
-- NOT NULL. SQL cannot read SITE_NAME/PUBLIC_URL: the site keeps using them (config) until the
-- region admin (a later step) edits the municipality.
CREATE TABLE "municipalities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" jsonb NOT NULL,
	"languages" text[] DEFAULT '{fi}'::text[] NOT NULL,
	"default_locale" text DEFAULT 'fi' NOT NULL,
	"theme" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "municipalities_slug_format" CHECK ("municipalities"."slug" ~ '^[a-z0-9][a-z0-9-]*$')
);
--> statement-breakpoint
CREATE TABLE "municipality_hosts" (
	"host" text PRIMARY KEY NOT NULL,
	"municipality_id" uuid NOT NULL
);
--> statement-breakpoint
DROP INDEX "events_state_idx";--> statement-breakpoint
DROP INDEX "events_updated_idx";--> statement-breakpoint
DROP INDEX "moderation_log_created_idx";--> statement-breakpoint
DROP INDEX "occurrences_start_idx";--> statement-breakpoint
DROP INDEX "occurrences_long_idx";--> statement-breakpoint
DROP INDEX "places_village_idx";--> statement-breakpoint
INSERT INTO "municipalities" ("id", "slug", "name", "languages", "default_locale")
VALUES ('00000000-0000-4000-8000-000000000001', 'default', '{"fi": "Kuntakalenteri"}'::jsonb, '{fi}'::text[], 'fi');--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "municipality_id" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "municipality_id" uuid;--> statement-breakpoint
ALTER TABLE "moderation_log" ADD COLUMN "municipality_id" uuid;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "municipality_id" uuid;--> statement-breakpoint
ALTER TABLE "places" ADD COLUMN "municipality_id" uuid;--> statement-breakpoint
ALTER TABLE "revisions" ADD COLUMN "municipality_id" uuid;--> statement-breakpoint
UPDATE "events" SET "municipality_id" = '00000000-0000-4000-8000-000000000001';--> statement-breakpoint
UPDATE "moderation_log" SET "municipality_id" = '00000000-0000-4000-8000-000000000001';--> statement-breakpoint
UPDATE "occurrences" SET "municipality_id" = '00000000-0000-4000-8000-000000000001';--> statement-breakpoint
UPDATE "places" SET "municipality_id" = '00000000-0000-4000-8000-000000000001';--> statement-breakpoint
UPDATE "revisions" SET "municipality_id" = '00000000-0000-4000-8000-000000000001';--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "municipality_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "moderation_log" ALTER COLUMN "municipality_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "occurrences" ALTER COLUMN "municipality_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "places" ALTER COLUMN "municipality_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "revisions" ALTER COLUMN "municipality_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "municipality_hosts" ADD CONSTRAINT "municipality_hosts_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "municipalities_slug_key" ON "municipalities" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "municipality_hosts_municipality_idx" ON "municipality_hosts" USING btree ("municipality_id");--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "places" ADD CONSTRAINT "places_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_tenant_state_idx" ON "events" USING btree ("municipality_id","state");--> statement-breakpoint
CREATE INDEX "events_tenant_updated_idx" ON "events" USING btree ("municipality_id","updated_at");--> statement-breakpoint
CREATE INDEX "moderation_log_tenant_created_idx" ON "moderation_log" USING btree ("municipality_id","created_at");--> statement-breakpoint
CREATE INDEX "occurrences_tenant_start_idx" ON "occurrences" USING btree ("municipality_id","starts_at","event_id");--> statement-breakpoint
CREATE INDEX "occurrences_tenant_long_idx" ON "occurrences" USING btree ("municipality_id","ends_at") WHERE long_running;--> statement-breakpoint
CREATE INDEX "places_tenant_village_idx" ON "places" USING btree ("municipality_id","village");