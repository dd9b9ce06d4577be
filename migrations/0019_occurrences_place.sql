-- #15: the duplicate check (every create, edit and moderation read of an event) found the
-- occurrences overlapping the event's own through a range index over all occurrences, then
-- visited each overlapping event to learn its place. Long-running occurrences overlap every
-- date, so at 100,000 events one weekly series read 51,000 occurrences and 1,200 events: 89 ms
-- on PostgreSQL, 68 ms of PGlite's only connection on every write. An occurrence now carries
-- its event's place, kept like `public` (migration 0013) by the triggers below, and the check
-- reads two small indexes at that place: short occurrences by their start (an overlap starts at
-- most a week earlier), long-running ones by their end.
-- The backfill rewrites every occurrence with a place (about 20 s per million on PostgreSQL).
DROP INDEX "occurrences_span_gist";--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "place_id" uuid;--> statement-breakpoint
UPDATE "occurrences" o SET "place_id" = e.place_id FROM "events" e
	WHERE e.id = o.event_id AND e.place_id IS NOT NULL;--> statement-breakpoint
-- A new occurrence takes its event's state and place.
CREATE OR REPLACE FUNCTION "kk_occurrence_public"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	is_public boolean;
	event_place uuid;
BEGIN
	SELECT e.state = 'published' AND e.deleted_at IS NULL, e.place_id INTO is_public, event_place
		FROM events e WHERE e.id = NEW.event_id;
	NEW.public := coalesce(is_public, false);
	NEW.place_id := event_place;
	RETURN NEW;
END
$$;--> statement-breakpoint
-- An event that moves carries its occurrences along.
CREATE FUNCTION "kk_event_place"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE occurrences SET place_id = NEW.place_id WHERE event_id = NEW.id;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "events_place" AFTER UPDATE OF "place_id" ON "events"
	FOR EACH ROW
	WHEN (OLD.place_id IS DISTINCT FROM NEW.place_id)
	EXECUTE FUNCTION "kk_event_place"();--> statement-breakpoint
CREATE INDEX "occurrences_place_start_idx" ON "occurrences" USING btree ("place_id","starts_at") INCLUDE ("ends_at","event_id") WHERE place_id is not null and not long_running;--> statement-breakpoint
CREATE INDEX "occurrences_place_long_idx" ON "occurrences" USING btree ("place_id","ends_at") INCLUDE ("starts_at","event_id") WHERE place_id is not null and long_running;
