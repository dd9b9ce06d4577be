-- #15: the duplicate check (same place, an overlapping occurrence, a similar title) probed every
-- event at the place with a join of the two events' occurrences: 140-175 ms per check at 100,000
-- events. It now starts from the event's own occurrences and finds those that overlap them
-- through this range index, then their events at the same place.
CREATE INDEX "occurrences_span_gist" ON "occurrences" USING gist (tstzrange(starts_at, greatest(ends_at, starts_at), '[]'));
