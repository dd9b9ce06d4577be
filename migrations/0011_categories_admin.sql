-- #21: categories administration — a version for optimistic concurrency, and slugs unique per
-- municipality for local categories (a shared slug stays unique in the region).
DROP INDEX "categories_slug_key";--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_shared_slug_key" ON "categories" USING btree ("slug") WHERE municipality_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_local_slug_key" ON "categories" USING btree ("municipality_id","slug") WHERE municipality_id is not null;