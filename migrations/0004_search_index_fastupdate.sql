-- Search used the GIN index slowly or not at all: with fastupdate (the default) new entries
-- wait in a pending list that every search scans sequentially, and a bulk load or a
-- day of edits fills it. Events change rarely and are searched often, so entries go
-- straight into the index. Recreating the index also empties the old pending list.
DROP INDEX "events_search_idx";--> statement-breakpoint
CREATE INDEX "events_search_idx" ON "events" USING gin ("search_vector") WITH (fastupdate=false);