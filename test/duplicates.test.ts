/**
 * Duplicate warnings against the plain definition: every pending or published event at the
 * same place with an overlapping occurrence and a similar title, for every event of a seeded
 * municipality that has a place (a guard for any faster candidate query: narrowing the
 * candidates by the span of the occurrences was tried and measured slower at 100,000 events).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalizedText } from "../src/contract/codes.ts";
import { queryRows } from "../src/db/client.ts";
import { findDuplicatesMany } from "../src/domain/events/duplicates.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase } from "./helpers/seeded.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createSeededDatabase(600);
}, 240_000);
afterAll(() => database?.close());

describe("duplicate warnings", () => {
  it("warn of exactly the look-alikes the pairwise overlap test finds", async () => {
    const list = await queryRows<{ id: string; place_id: string; title: LocalizedText }>(
      database.db,
      sql`select id, place_id, title from events where place_id is not null and deleted_at is null order by id`,
    );
    expect(list.length).toBeGreaterThan(300);
    // The plain test: every pending or published event at the place with an overlapping occurrence.
    const pairs = await queryRows<{ source_id: string; id: string }>(
      database.db,
      sql`select src.id as source_id, e.id from events src join events e
            on e.place_id = src.place_id and e.id <> src.id and e.deleted_at is null
           and e.state in ('pending', 'published')
          where src.place_id is not null and src.deleted_at is null
            and exists (select 1 from occurrences a join occurrences b
                          on a.starts_at < greatest(b.ends_at, b.starts_at + interval '1 minute')
                         and b.starts_at < greatest(a.ends_at, a.starts_at + interval '1 minute')
                        where a.event_id = src.id and b.event_id = e.id)`,
    );
    expect(pairs.length, "the data has overlapping events at a place").toBeGreaterThan(100);
    const got = await findDuplicatesMany(
      database.db,
      list.map((e) => ({ id: e.id, placeId: e.place_id, title: e.title })),
      "staff",
    );
    // Every warning is an overlapping pair at the same place…
    const byId = new Map(list.map((e) => [e.id, e]));
    let warnings = 0;
    for (const [id, found] of got) {
      for (const w of found) {
        warnings++;
        expect(
          pairs.some((p) => p.source_id === id && p.id === w.event_id),
          `${id} → ${w.event_id}`,
        ).toBe(true);
      }
    }
    // …and every overlapping pair with similar titles is a warning.
    const { titleSimilarity, DUPLICATE_THRESHOLD } = await import("../src/domain/events/duplicates.ts");
    const similar = pairs.filter((p) => {
      const a = byId.get(p.source_id);
      const b = byId.get(p.id);
      return a && b && titleSimilarity(a.title, b.title) >= DUPLICATE_THRESHOLD;
    });
    expect(similar.length, "the data has look-alikes").toBeGreaterThan(0);
    expect(warnings).toBe(similar.length);
  });

  it("every occurrence carries its event's place, through inserts and moves (migration 0019's triggers)", async () => {
    const strays = async () =>
      (
        await queryRows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from occurrences o join events e on e.id = o.event_id
              where o.place_id is distinct from e.place_id`,
        )
      )[0]?.n;
    expect(await strays()).toBe(0);
    const [ev] = await queryRows<{ id: string; place_id: string; other: string }>(
      database.db,
      sql`select e.id, e.place_id, (select p.id from places p where p.id <> e.place_id
            and p.municipality_id = e.municipality_id limit 1) as other
          from events e where e.place_id is not null and e.rrule is not null limit 1`,
    );
    if (!ev) throw new Error("no series with a place");
    const placesOf = async () =>
      (
        await queryRows<{ place_id: string | null }>(
          database.db,
          sql`select distinct place_id from occurrences where event_id = ${ev.id}`,
        )
      ).map((r) => r.place_id);
    // Moved by an operator's SQL, not the API: the rows themselves must follow.
    await database.db.execute(sql`update events set place_id = ${ev.other} where id = ${ev.id}`);
    expect(await placesOf()).toEqual([ev.other]);
    await database.db.execute(sql`update events set place_id = null where id = ${ev.id}`);
    expect(await placesOf()).toEqual([null]);
    await database.db.execute(sql`update events set place_id = ${ev.place_id} where id = ${ev.id}`);
    // A new occurrence takes the event's place.
    await database.db.execute(
      sql`insert into occurrences (municipality_id, event_id, starts_at, ends_at)
          select municipality_id, id, '2031-05-05T10:00:00Z', '2031-05-05T12:00:00Z' from events where id = ${ev.id}`,
    );
    expect(await placesOf()).toEqual([ev.place_id]);
    expect(await strays()).toBe(0);
  });
});
