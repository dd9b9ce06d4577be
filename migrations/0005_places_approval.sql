-- Places created inline with a submission were public at once, before any moderator had
-- seen the event that brought them. A place is now public only once approved_at is set:
-- when an event that refers to it is published (moderator approval, or a trusted
-- organisation's publication). Every place that exists already is approved.
ALTER TABLE "places" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
UPDATE "places" SET "approved_at" = "created_at" WHERE "approved_at" IS NULL;
