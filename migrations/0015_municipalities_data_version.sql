-- An edit of a municipality (its name, URL, look, languages, place) moves its data version, so
-- the cached answers that show it (its own site's lists and feeds and its neighbours') are rebuilt
-- at once. Migration 0010 left these edits out, reasoning that the tenant directory is cached
-- for 30 s per process; but the answers read a municipality's name, URL and look from the
-- database with its events, so a bump does make them fresh (the directory only routes requests:
-- the process that made the edit re-reads it at once, the others within 30 s). The bump sits
-- with the other tables' triggers so that an edit from the CLI or an operator's SQL moves it too.
-- A statement that rewrites a row without changing it (only updated_at, or nothing) bumps none.
CREATE FUNCTION "data_versions_of_changed_municipalities"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM "bump_data_versions"(ARRAY(
		SELECT n."id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
		WHERE to_jsonb(n) - 'updated_at' IS DISTINCT FROM to_jsonb(o) - 'updated_at'
		ORDER BY n."id"
	));
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "municipalities_data_version_upd" AFTER UPDATE ON "municipalities" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "data_versions_of_changed_municipalities"();
