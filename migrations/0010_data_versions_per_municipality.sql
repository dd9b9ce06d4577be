-- A data version per municipality (#21, ADR 0006 "Step 2"), replacing the global one of
-- migrations 0002/0003, so that an edit in one municipality leaves the caches of the others
-- warm. A response's version is the list of the versions of the municipalities whose rows it
-- may include (src/domain/data-version.ts).
--
-- The invariant of 0002 holds per row: the new number is written by the same transaction as
-- the data (rows, not a sequence), so it becomes visible atomically with the data and a
-- rollback takes it back; NOTIFY (0003) is transactional, so a listener hears of a version
-- only once it has committed. Versions of one municipality grow in commit order: each bump
-- locks that municipality's row until the transaction ends.
--
-- Triggers are statement-level with transition tables (PostgreSQL allows those only on a
-- single event, hence one trigger per event), so a statement bumps each municipality it
-- touched once, however many rows it changed, and a statement that changed no row bumps none:
-- - events, places, occurrences: the municipalities of the old and new rows;
-- - event_categories (no municipality column): those of their events (a link deleted with its
--   event has no event left to join, but the delete of the event bumps its municipality);
-- - categories: a local category its own municipality, a shared one (municipality_id null) all;
-- - organisations (regional): all municipalities; TRUNCATE of any of these tables: all.
-- A bump of several municipalities locks their rows in id order first, so that two statements
-- bumping overlapping sets cannot deadlock on each other.
--
-- municipalities: a new municipality gets its row (version 1) from a trigger. Edits of a
-- municipality itself do not bump it: the tenant directory is cached per process for 30 s
-- (src/http/tenant.ts), so a bump could not make its responses fresh anyway.
--
-- The global `data_version` table, its function and triggers are dropped: a process of the
-- previous release still running during a deploy then fails to read the version (an error,
-- answered 500) instead of caching responses under a number that no longer moves.
CREATE TABLE "municipality_data_versions" (
	"municipality_id" uuid PRIMARY KEY NOT NULL REFERENCES "municipalities"("id") ON DELETE CASCADE,
	"version" bigint DEFAULT 1 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Start where the global version was: every number a cache has seen stays behind.
INSERT INTO "municipality_data_versions" ("municipality_id", "version")
SELECT m."id", coalesce((SELECT d."version" FROM "data_version" d WHERE d."id"), 1) FROM "municipalities" m;
--> statement-breakpoint
DROP TRIGGER "events_data_version" ON "events";
--> statement-breakpoint
DROP TRIGGER "occurrences_data_version" ON "occurrences";
--> statement-breakpoint
DROP TRIGGER "event_categories_data_version" ON "event_categories";
--> statement-breakpoint
DROP TRIGGER "places_data_version" ON "places";
--> statement-breakpoint
DROP TRIGGER "organisations_data_version" ON "organisations";
--> statement-breakpoint
DROP TRIGGER "categories_data_version" ON "categories";
--> statement-breakpoint
DROP FUNCTION "bump_data_version"();
--> statement-breakpoint
DROP TABLE "data_version";
--> statement-breakpoint
-- Bumps the given municipalities and notifies each new version as "<municipality id>:<version>".
CREATE FUNCTION "bump_data_versions"(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	IF ids IS NULL OR cardinality(ids) = 0 THEN
		RETURN;
	END IF;
	IF cardinality(ids) > 1 THEN
		PERFORM 1 FROM "municipality_data_versions" WHERE "municipality_id" = ANY(ids)
			ORDER BY "municipality_id" FOR UPDATE;
	END IF;
	FOR r IN
		UPDATE "municipality_data_versions" SET "version" = "version" + 1, "changed_at" = now()
		WHERE "municipality_id" = ANY(ids) RETURNING "municipality_id", "version"
	LOOP
		PERFORM pg_notify('kk_data_version', r."municipality_id"::text || ':' || r."version"::text);
	END LOOP;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "bump_all_data_versions"() RETURNS void LANGUAGE sql AS $$
	SELECT "bump_data_versions"(ARRAY(SELECT "municipality_id" FROM "municipality_data_versions"));
$$;
--> statement-breakpoint
-- events, places, occurrences: the municipalities of the changed rows.
CREATE FUNCTION "data_versions_of_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM "bump_data_versions"(ARRAY(SELECT DISTINCT n."municipality_id" FROM new_rows n));
	ELSIF TG_OP = 'UPDATE' THEN
		PERFORM "bump_data_versions"(ARRAY(
			SELECT n."municipality_id" FROM new_rows n UNION SELECT o."municipality_id" FROM old_rows o));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM "bump_data_versions"(ARRAY(SELECT DISTINCT o."municipality_id" FROM old_rows o));
	ELSE
		PERFORM "bump_all_data_versions"();
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
-- event_categories: the municipalities of the links' events.
CREATE FUNCTION "data_versions_of_event_links"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM "bump_data_versions"(ARRAY(
			SELECT DISTINCT e."municipality_id" FROM new_rows n JOIN "events" e ON e."id" = n."event_id"));
	ELSIF TG_OP = 'UPDATE' THEN
		PERFORM "bump_data_versions"(ARRAY(
			SELECT e."municipality_id" FROM "events" e
			WHERE e."id" IN (SELECT n."event_id" FROM new_rows n UNION SELECT o."event_id" FROM old_rows o)));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM "bump_data_versions"(ARRAY(
			SELECT DISTINCT e."municipality_id" FROM old_rows o JOIN "events" e ON e."id" = o."event_id"));
	ELSE
		PERFORM "bump_all_data_versions"();
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
-- categories: a local one bumps its municipality, a shared one (municipality_id null) all.
CREATE FUNCTION "data_versions_of_categories"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	ids uuid[];
	shared boolean;
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT array_agg(DISTINCT n."municipality_id"), bool_or(n."municipality_id" IS NULL)
			INTO ids, shared FROM new_rows n;
	ELSIF TG_OP = 'UPDATE' THEN
		SELECT array_agg(DISTINCT c."municipality_id"), bool_or(c."municipality_id" IS NULL) INTO ids, shared
			FROM (SELECT n."municipality_id" FROM new_rows n UNION ALL SELECT o."municipality_id" FROM old_rows o) c;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(DISTINCT o."municipality_id"), bool_or(o."municipality_id" IS NULL)
			INTO ids, shared FROM old_rows o;
	ELSE
		shared := true;
	END IF;
	IF shared THEN
		PERFORM "bump_all_data_versions"();
	ELSE
		PERFORM "bump_data_versions"(ids);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
-- organisations (regional): every municipality, when a row changed.
CREATE FUNCTION "data_versions_of_regional_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	changed boolean := true;
BEGIN
	-- (Separate branches: a query may name only the transition tables this event has.)
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		changed := EXISTS (SELECT 1 FROM new_rows);
	ELSIF TG_OP = 'DELETE' THEN
		changed := EXISTS (SELECT 1 FROM old_rows);
	END IF;
	IF changed THEN
		PERFORM "bump_all_data_versions"();
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A new municipality starts at version 1.
CREATE FUNCTION "data_versions_of_new_municipalities"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO "municipality_data_versions" ("municipality_id") SELECT n."id" FROM new_rows n;
	PERFORM pg_notify('kk_data_version', n."id"::text || ':1') FROM new_rows n;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "municipalities_data_version_ins" AFTER INSERT ON "municipalities" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_new_municipalities"();
--> statement-breakpoint
CREATE TRIGGER "events_data_version_ins" AFTER INSERT ON "events" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "events_data_version_upd" AFTER UPDATE ON "events" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "events_data_version_del" AFTER DELETE ON "events" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "events_data_version_trunc" AFTER TRUNCATE ON "events" FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "places_data_version_ins" AFTER INSERT ON "places" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "places_data_version_upd" AFTER UPDATE ON "places" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "places_data_version_del" AFTER DELETE ON "places" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "places_data_version_trunc" AFTER TRUNCATE ON "places" FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "occurrences_data_version_ins" AFTER INSERT ON "occurrences" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "occurrences_data_version_upd" AFTER UPDATE ON "occurrences" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "occurrences_data_version_del" AFTER DELETE ON "occurrences" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "occurrences_data_version_trunc" AFTER TRUNCATE ON "occurrences" FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_rows"();
--> statement-breakpoint
CREATE TRIGGER "event_categories_data_version_ins" AFTER INSERT ON "event_categories" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_event_links"();
--> statement-breakpoint
CREATE TRIGGER "event_categories_data_version_upd" AFTER UPDATE ON "event_categories" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_event_links"();
--> statement-breakpoint
CREATE TRIGGER "event_categories_data_version_del" AFTER DELETE ON "event_categories" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_event_links"();
--> statement-breakpoint
CREATE TRIGGER "event_categories_data_version_trunc" AFTER TRUNCATE ON "event_categories" FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_event_links"();
--> statement-breakpoint
CREATE TRIGGER "categories_data_version_ins" AFTER INSERT ON "categories" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_categories"();
--> statement-breakpoint
CREATE TRIGGER "categories_data_version_upd" AFTER UPDATE ON "categories" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_categories"();
--> statement-breakpoint
CREATE TRIGGER "categories_data_version_del" AFTER DELETE ON "categories" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_categories"();
--> statement-breakpoint
CREATE TRIGGER "categories_data_version_trunc" AFTER TRUNCATE ON "categories" FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_categories"();
--> statement-breakpoint
CREATE TRIGGER "organisations_data_version_ins" AFTER INSERT ON "organisations" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_regional_rows"();
--> statement-breakpoint
CREATE TRIGGER "organisations_data_version_upd" AFTER UPDATE ON "organisations" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_regional_rows"();
--> statement-breakpoint
CREATE TRIGGER "organisations_data_version_del" AFTER DELETE ON "organisations" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_regional_rows"();
--> statement-breakpoint
CREATE TRIGGER "organisations_data_version_trunc" AFTER TRUNCATE ON "organisations" FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_regional_rows"();
