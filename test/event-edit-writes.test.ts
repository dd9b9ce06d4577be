/**
 * An edit rewrites only what it changed (src/domain/events/store.ts, writeDerived): a new
 * title leaves the occurrences and categories rows as they were, a new time rewrites the
 * occurrences, new categories rewrite the categories; and whatever was skipped, the public
 * list, search and categories show the edited event as it now is.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
});
afterAll(async () => {
  await w.close();
});

/** The row versions (xmin) of the event's occurrences and categories, and its occurrences. */
async function rows(id: string) {
  const db = w.database.db;
  const occ = await queryRows<{ x: string; s: Date | string }>(
    db,
    sql`select xmin::text as x, starts_at as s from occurrences where event_id = ${id}::uuid order by starts_at`,
  );
  const cats = await queryRows<{ x: string; slug: string }>(
    db,
    sql`select ec.xmin::text as x, c.slug from event_categories ec join categories c on c.id = ec.category_id
        where ec.event_id = ${id}::uuid order by c.slug`,
  );
  return {
    occurrences: occ.map((r) => r.x).join(),
    starts: occ.map((r) => new Date(r.s).toISOString()),
    categories: cats.map((r) => r.x).join(),
    slugs: cats.map((r) => r.slug),
  };
}

const found = async (q: string, id: string) => {
  const r = await w.raw(
    "GET",
    `/api/v1/events?q=${encodeURIComponent(q)}&from=2026-01-01T00:00:00Z&limit=50`,
  );
  expect(r.status).toBe(200);
  return (r.body.data as { event_id: string }[]).some((e) => e.event_id === id);
};

describe("an edit rewrites only what it changed", () => {
  it("a trusted organisation's published weekly series: title, then time, then categories", async () => {
    const member = w.as("trustedMember");
    const created = await member("POST", "/api/v1/events", {
      organisation_id: w.orgT.id,
      ...w.event({ rrule: "FREQ=WEEKLY;COUNT=4" }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    let version = created.body.version as number;
    const submitted = await member("POST", `/api/v1/events/${id}/submit`, { version });
    expect(submitted.body.state).toBe("published");
    version = submitted.body.version as number;
    const start = await rows(id);
    expect(start.starts).toHaveLength(4);

    const titled = await member("PATCH", `/api/v1/events/${id}`, {
      version,
      title: { fi: "Harmonikkailta seurantalolla" },
    });
    expect(titled.status, JSON.stringify(titled.body)).toBe(200);
    version = titled.body.version as number;
    const afterTitle = await rows(id);
    expect(afterTitle.occurrences, "occurrences untouched").toBe(start.occurrences);
    expect(afterTitle.categories, "categories untouched").toBe(start.categories);
    expect(await found("harmonikkailta", id), "the new title is searched").toBe(true);
    expect(await found("kesäkonsertti", id), "the old title is not").toBe(false);

    const moved = await member("PATCH", `/api/v1/events/${id}`, {
      version,
      start: "2026-07-02T17:00:00+03:00",
      end: "2026-07-02T19:00:00+03:00",
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    version = moved.body.version as number;
    const afterMove = await rows(id);
    expect(afterMove.occurrences).not.toBe(start.occurrences);
    expect(afterMove.starts).toEqual([
      "2026-07-02T14:00:00.000Z",
      "2026-07-09T14:00:00.000Z",
      "2026-07-16T14:00:00.000Z",
      "2026-07-23T14:00:00.000Z",
    ]);
    expect(afterMove.categories).toBe(start.categories);
    expect(await found("harmonikkailta", id)).toBe(true);

    const recategorised = await member("PATCH", `/api/v1/events/${id}`, {
      version,
      categories: ["musiikki", "liikunta"],
    });
    expect(recategorised.status, JSON.stringify(recategorised.body)).toBe(200);
    const afterCats = await rows(id);
    expect(afterCats.slugs).toEqual(["liikunta", "musiikki"]);
    expect(afterCats.categories).not.toBe(start.categories);
    expect(afterCats.occurrences).toBe(afterMove.occurrences);
    const listed = await w.raw("GET", "/api/v1/events?category=liikunta&from=2026-01-01T00:00:00Z&limit=50");
    expect((listed.body.data as { event_id: string }[]).map((e) => e.event_id)).toContain(id);
  });

  it("an approved revision of an untrusted organisation's event: the same", async () => {
    const { id, version } = await w.eventIn("published");
    const start = await rows(id);
    const proposed = await w.as("member")("PATCH", `/api/v1/events/${id}`, {
      version,
      title: { fi: "Syyskonsertti nuorisotalolla" },
    });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(200);
    const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, {
      version: proposed.body.version,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const after = await rows(id);
    expect(after.occurrences).toBe(start.occurrences);
    expect(after.categories).toBe(start.categories);
    expect(await found("syyskonsertti", id)).toBe(true);
  });
});
