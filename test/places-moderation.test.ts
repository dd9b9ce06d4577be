/**
 * A new place given inline with an event is moderated with it: not listed in
 * GET /api/v1/places, not usable in the place filter or the place feeds, until the event
 * is published (a moderator's approval, or a trusted organisation's publication); never
 * when the submission is rejected. The moderator's review and the organiser's own view
 * show it. A public response cache never keeps serving the list from before an approval.
 * Migration 0005 approves the places that existed before it (checked on PGlite).
 * Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResponseCache } from "../src/cache/response-cache.ts";
import { places } from "../src/db/schema.ts";
import { MIGRATIONS_FOLDER } from "../src/runtime/node/migrate.ts";
import { openPglite } from "../src/runtime/node/pglite.ts";
import { buildTestApp } from "./helpers/app.ts";
import { createWorkflowWorld, tokenFrom, type World } from "./helpers/workflow.ts";

let w: World;
/** A second app on the same database with a public response cache, as another instance. */
let reader: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  w = await createWorkflowWorld();
  reader = buildTestApp(w.database, {
    clock: w.clock,
    config: w.t.config,
    responseCache: createMemoryResponseCache(),
  });
});
afterAll(async () => {
  await w.close();
});

const newPlace = (name: string) => ({
  name: { fi: name },
  street_address: `${name}nkatu 1`,
  postal_code: "01900",
  locality: "Nurmijärvi",
});

const get = (path: string) => reader.app.request(path, { headers: { Accept: "application/json" } });

/** GET /api/v1/places through the caching reader: the ids, and the raw text. */
async function publicPlaces(): Promise<{ ids: string[]; text: string; cache: string | null }> {
  const res = await get("/api/v1/places");
  expect(res.status).toBe(200);
  const text = await res.text();
  return {
    ids: (JSON.parse(text) as { data: { id: string }[] }).data.map((p) => p.id),
    text,
    cache: res.headers.get("x-cache"),
  };
}

async function slugOf(placeId: string): Promise<string> {
  const [row] = await w.database.db.select({ slug: places.slug }).from(places).where(eq(places.id, placeId));
  return row!.slug;
}

/** Every public way to reach a place by slug or id answers as for an unknown place. */
async function expectNotPublic(placeId: string, name: string) {
  const slug = await slugOf(placeId);
  const list = await publicPlaces();
  expect(list.ids).not.toContain(placeId);
  expect(list.text).not.toContain(name);
  // Also without the cache, straight from the app that wrote it.
  const direct = await (await w.t.app.request("/api/v1/places")).text();
  expect(direct).not.toContain(placeId);
  for (const path of [
    `/api/v1/events?place=${slug}`,
    `/api/v1/events?place=${placeId}`,
    `/feeds/places/${slug}.ics`,
    `/feeds/places/${slug}.rss`,
    `/feeds/events.ics?place=${slug}`,
    `/api/v1/feeds/links?place=${slug}`,
  ]) {
    const res = await get(path);
    // A feed file named after a place that is not public is missing (404); a filter naming it is bad input.
    expect(res.status, path).toBe(path.startsWith("/feeds/places/") ? 404 : 400);
    expect(await res.text(), path).not.toContain(name);
  }
}

async function expectPublic(placeId: string, name: string, eventId: string) {
  const slug = await slugOf(placeId);
  const list = await publicPlaces();
  expect(list.ids).toContain(placeId);
  expect(list.text).toContain(name);
  const events = await get(`/api/v1/events?place=${slug}&from=2026-06-01`);
  expect(events.status).toBe(200);
  const ids = ((await events.json()) as { data: { event_id: string }[] }).data.map((d) => d.event_id);
  expect(ids).toContain(eventId);
  const feed = await get(`/feeds/places/${slug}.ics`);
  expect(feed.status).toBe(200);
  expect(await feed.text()).toContain(name);
}

let submissions = 0;
/** An anonymous submission with a new place, confirmed through the emailed link (→ pending). */
async function submitAnonymously(placeName: string): Promise<{ id: string; version: number }> {
  const email = `lahettaja${++submissions}@example.fi`;
  const sub = await w.raw("POST", "/api/v1/submissions", {
    submitter: { name: "Lähettäjä", email },
    event: w.event({
      title: { fi: `Tapahtuma: ${placeName}` },
      place_id: undefined,
      place: newPlace(placeName),
    }),
    locale: "fi",
    website: "",
  });
  expect(sub.status, JSON.stringify(sub.body)).toBe(202);
  const mail = (await w.mailsTo(email)).find((m) => m.kind === "submission_confirm");
  const confirmed = await w.raw("POST", "/api/v1/submissions/confirm", {
    token: tokenFrom(mail?.payload.path),
  });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  expect(confirmed.body.state).toBe("pending");
  return { id: confirmed.body.id as string, version: confirmed.body.version as number };
}

/** The place of an event as the moderator's review shows it. */
async function reviewedPlace(eventId: string) {
  const r = await w.as("moderator")("GET", `/api/v1/moderation/events/${eventId}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const placeId = r.body.event.place_id as string;
  expect(placeId).toMatch(/^[0-9a-f-]{36}$/);
  return { placeId, place: (r.body.places as { id: string }[]).find((p) => p.id === placeId) };
}

describe("a new place from an anonymous submission", () => {
  it("is not public while pending, is shown to the moderator, and is listed once approved", async () => {
    // Warm the public cache: the list from before the approval must not be served after it.
    expect((await publicPlaces()).cache).toBe("miss");
    expect((await publicPlaces()).cache).toBe("hit");

    const name = "Roskapostin mainospaikka";
    const { id, version } = await submitAnonymously(name);
    const { placeId, place } = await reviewedPlace(id);
    expect(place).toEqual({
      id: placeId,
      name: { fi: name },
      street_address: `${name}nkatu 1`,
      postal_code: "01900",
      locality: "Nurmijärvi",
      approved: false,
    });
    await expectNotPublic(placeId, name);

    const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, { version });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.state).toBe("published");
    expect((await reviewedPlace(id)).place).toMatchObject({ approved: true });
    await expectPublic(placeId, name, id);
    // The event's public detail carries the place, as before.
    const detail = await get(`/api/v1/events/${id}`);
    expect(((await detail.json()) as { place: { id: string } }).place.id).toBe(placeId);
  });

  it("is never public when the submission is rejected", async () => {
    const name = "Hylätyn ilmoituksen paikka";
    const { id, version } = await submitAnonymously(name);
    const { placeId } = await reviewedPlace(id);
    await expectNotPublic(placeId, name);
    const rejected = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/reject`, {
      version,
      reason: "Mainos",
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect((await reviewedPlace(id)).place).toMatchObject({ approved: false });
    await expectNotPublic(placeId, name);
  });
});

describe("a new place from a signed-in organiser", () => {
  it("shows in the organiser's own view, stays out of public lists through changes requested, and is approved with the event", async () => {
    const member = w.as("member");
    const name = "Yhdistyksen uusi kerhotila";
    const created = await member("POST", "/api/v1/events", {
      organisation_id: w.orgA.id,
      ...w.event({ title: { fi: "Kerhoilta" }, place_id: undefined, place: newPlace(name) }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const mine = await member("GET", `/api/v1/me/events/${id}`);
    const placeId = mine.body.event.place_id as string;
    expect(mine.body.place).toMatchObject({ id: placeId, name: { fi: name }, approved: false });
    await expectNotPublic(placeId, name);

    const submitted = await member("POST", `/api/v1/events/${id}/submit`, { version: created.body.version });
    expect(submitted.body.state).toBe("pending");
    await expectNotPublic(placeId, name);
    const back = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/request-changes`, {
      version: submitted.body.version,
      comment: "Lisää kuvaus",
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    await expectNotPublic(placeId, name);

    const again = await member("POST", `/api/v1/events/${id}/submit`, { version: back.body.version });
    const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, {
      version: again.body.version,
    });
    expect(approved.body.state).toBe("published");
    expect((await member("GET", `/api/v1/me/events/${id}`)).body.place).toMatchObject({ approved: true });
    await expectPublic(placeId, name, id);
  });

  it("a new place proposed in a revision of a published event becomes public only when the revision is approved", async () => {
    const { id, version } = await w.eventIn("published", { title: { fi: "Muuttava tapahtuma" } });
    const name = "Revision uusi paikka";
    const proposed = await w.as("member")("PATCH", `/api/v1/events/${id}`, {
      version,
      place_id: null,
      place: newPlace(name),
    });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(200);
    expect(proposed.body.pending_revision).toBe(true);
    expect((await publicPlaces()).text).not.toContain(name);
    const review = await w.as("moderator")("GET", `/api/v1/moderation/events/${id}`);
    expect(review.body.revision.proposed.place).toMatchObject({ name: { fi: name } });

    const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, {
      version: proposed.body.version,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const { placeId } = await reviewedPlace(id);
    expect(placeId).not.toBe(w.place.id);
    await expectPublic(placeId, name, id);
  });
});

describe("a trusted organisation", () => {
  it("publishes a new place at once with its event", async () => {
    const trusted = w.as("trustedMember");
    const name = "Kirjaston uusi lukusali";
    const created = await trusted("POST", "/api/v1/events", {
      organisation_id: w.orgT.id,
      ...w.event({ title: { fi: "Lukupiiri" }, place_id: undefined, place: newPlace(name) }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const placeId = (await trusted("GET", `/api/v1/me/events/${id}`)).body.event.place_id as string;
    // A draft is not public, even a trusted organisation's.
    await expectNotPublic(placeId, name);
    const published = await trusted("POST", `/api/v1/events/${id}/submit`, { version: created.body.version });
    expect(published.body.state).toBe("published");
    await expectPublic(placeId, name, id);
  });

  it("publishes a new place at once when editing a published event", async () => {
    const trusted = w.as("trustedMember");
    const created = await trusted("POST", "/api/v1/events", {
      organisation_id: w.orgT.id,
      ...w.event({ title: { fi: "Satutunti" } }),
    });
    const published = await trusted("POST", `/api/v1/events/${created.body.id}/submit`, {
      version: created.body.version,
    });
    const name = "Kirjaston satunurkka";
    const edited = await trusted("PATCH", `/api/v1/events/${created.body.id}`, {
      version: published.body.version,
      place: newPlace(name),
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const placeId = (await trusted("GET", `/api/v1/me/events/${created.body.id}`)).body.event.place_id;
    expect(placeId).not.toBe(w.place.id);
    await expectPublic(placeId, name, created.body.id);
  });
});

describe("existing places", () => {
  it("stay public and usable in filters and feeds", async () => {
    const { id } = await w.eventIn("published", { title: { fi: "Tavallinen ilta" } });
    await expectPublic(w.place.id, "Seurantalo", id);
    expect((await publicPlaces()).ids).toContain(w.otherPlace.id);
  });
});

describe("migration 0005", () => {
  it("approves every place that existed before it", async () => {
    // The migrations up to 0004 in a copy, a place written under them, then all of them.
    const dir = await mkdtemp(join(tmpdir(), "kk-mig-"));
    const database = await openPglite();
    try {
      await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
      const journalFile = join(dir, "meta", "_journal.json");
      const journal = JSON.parse(await readFile(journalFile, "utf8")) as { entries: { tag: string }[] };
      const at = journal.entries.findIndex((e) => e.tag.startsWith("0005_"));
      expect(at).toBeGreaterThan(0);
      journal.entries = journal.entries.slice(0, at);
      await writeFile(journalFile, JSON.stringify(journal));
      // The pglite migrator wants its own driver type.
      const db = database.db as any;
      await migrate(db, { migrationsFolder: dir });
      await db.execute(
        sql`insert into places (slug, name, created_at) values ('vanha', '{"fi":"Vanha"}', '2025-01-02T03:04:05Z')`,
      );
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      const [row] = await database.db
        .select({ createdAt: places.createdAt, approvedAt: places.approvedAt })
        .from(places)
        .where(eq(places.slug, "vanha"));
      expect(row?.approvedAt?.toISOString()).toBe("2025-01-02T03:04:05.000Z");
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
