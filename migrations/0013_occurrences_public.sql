-- #15: public listings and feeds walk occurrences in start order; each row had to visit its
-- event (a heap fetch) to learn whether it is public, and in a region the planner sometimes
-- gave up the walk for a hash join over the whole window. The occurrence now says so itself,
-- kept by the two triggers below, and a partial index holds only public occurrences.
ALTER TABLE "occurrences" ADD COLUMN "public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "occurrences" o SET "public" = true FROM "events" e
	WHERE e.id = o.event_id AND e.state = 'published' AND e.deleted_at IS NULL;--> statement-breakpoint
-- A new occurrence (series expansion, an edit's new dates) takes its event's state.
CREATE FUNCTION "kk_occurrence_public"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.public := EXISTS (
		SELECT 1 FROM events e WHERE e.id = NEW.event_id AND e.state = 'published' AND e.deleted_at IS NULL
	);
	RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "occurrences_public" BEFORE INSERT OR UPDATE OF "event_id" ON "occurrences"
	FOR EACH ROW EXECUTE FUNCTION "kk_occurrence_public"();--> statement-breakpoint
-- An event that becomes public, or stops being public, carries its occurrences along.
CREATE FUNCTION "kk_event_public"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE occurrences SET public = (NEW.state = 'published' AND NEW.deleted_at IS NULL)
		WHERE event_id = NEW.id;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "events_public" AFTER UPDATE OF "state", "deleted_at" ON "events"
	FOR EACH ROW
	WHEN ((OLD.state = 'published' AND OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.state = 'published' AND NEW.deleted_at IS NULL))
	EXECUTE FUNCTION "kk_event_public"();--> statement-breakpoint
CREATE INDEX "occurrences_public_start_idx" ON "occurrences" USING btree ("municipality_id","starts_at","event_id") WHERE public;
