-- #15: the public listing's long-running branch (occurrences longer than a week that started
-- more than a week before `from`) read occurrences_tenant_long_idx and then every long-running
-- occurrence's row that had not ended, to test `public` and `starts_at` and to return them: a
-- list of 50 at 100,000 events spent 2.0 of its 3.8 ms there (PostgreSQL, EXPLAIN ANALYZE,
-- warm). Public ones only, with the start and the event in the index (INCLUDE: drizzle cannot
-- say so), it is an index-only scan: 0.1-0.2 ms. The older index stays for reads that are not
-- about public occurrences (places' reference data).
CREATE INDEX "occurrences_public_long_idx" ON "occurrences" USING btree ("municipality_id","ends_at") INCLUDE ("starts_at","event_id") WHERE long_running and public;
