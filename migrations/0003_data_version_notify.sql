-- Tells long-lived Node processes about every new data version, so that they can keep it
-- in memory and answer cache hits and 304s without a query (src/db/data-version-listener.ts).
-- NOTIFY is transactional: the payload is delivered when the bump commits, never before,
-- and not at all on a rollback. The payload is the new version; listeners only ever move
-- forward to it (versions grow in commit order: every bump locks the one row).
CREATE OR REPLACE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	v bigint;
BEGIN
	UPDATE "data_version" SET "version" = "version" + 1, "changed_at" = now() WHERE "id" RETURNING "version" INTO v;
	PERFORM pg_notify('kk_data_version', v::text);
	RETURN NULL;
END;
$$;
