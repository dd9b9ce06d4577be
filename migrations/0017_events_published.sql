-- #15: the RSS feed lists the newest published public events of its municipalities; without an
-- index every build read and sorted all of them (300 ms at 100,000 events on PostgreSQL, 0.5-1.4 s
-- on PGlite, where it held the only connection: the mixed load's read p99 of 809 ms).
CREATE INDEX "events_tenant_published_idx" ON "events" USING btree ("municipality_id","published_at" DESC NULLS LAST,"id") WHERE state = 'published' and deleted_at is null;