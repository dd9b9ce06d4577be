/**
 * Two municipalities on one deployment (ADR 0006): A is the default one (the world's data),
 * also served on its own host; B is served under the path prefix /b-kunta. B's events,
 * places and feeds never appear on A's site and the other way round; an organiser or a
 * moderator on A's site cannot read or change B's events by id (404); what is written
 * through B's site belongs to B. The response cache is on, so per-tenant keys are tested too.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResponseCache } from "../src/cache/response-cache.ts";
import { queryRows } from "../src/db/client.ts";
import { DEFAULT_MUNICIPALITY_ID, events, municipalities, municipalityHosts } from "../src/db/schema.ts";
import { tenantCache } from "../src/http/tenant.ts";
import { onPostgres } from "./helpers/db.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

const A = DEFAULT_MUNICIPALITY_ID;
const A_HOST = "http://kalenteri.a-kunta.test";
const B_PREFIX = "/b-kunta";
let B: string;
let w: World;
let aEvent: string;
let bEvent: string;
let bPending: string;
let bPlace: string;

beforeAll(async () => {
  const tenants = tenantCache();
  w = await createWorkflowWorld({ responseCache: createMemoryResponseCache(), tenants });
  const db = w.database.db;
  await db
    .update(municipalities)
    .set({ name: { fi: "A-kunta" } })
    .where(eq(municipalities.id, A));
  await db.insert(municipalityHosts).values({ host: "kalenteri.a-kunta.test", municipalityId: A });
  const [b] = await db
    .insert(municipalities)
    .values({ slug: "b-kunta", name: { fi: "B-kunta", sv: "B-kommun" }, languages: ["fi", "sv"] })
    .returning();
  B = b!.id;
  tenants.invalidate();

  aEvent = (await w.eventIn("published", { title: { fi: "Aakkoskonsertti" } })).id;

  // B's events, written through B's site by the same (regional) accounts.
  const member = w.as("member");
  const moderator = w.as("moderator");
  const bInput = (title: string) =>
    w.event({
      organisation_id: w.orgA.id,
      title: { fi: title },
      place_id: undefined,
      place: { name: { fi: "Beetalo" }, street_address: "Bekatu 1", locality: "B-kunta" },
    });
  const created = await member("POST", `${B_PREFIX}/api/v1/events`, bInput("Beetahuilu"));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  bEvent = created.body.id;
  const submitted = await member("POST", `${B_PREFIX}/api/v1/events/${bEvent}/submit`, {
    version: created.body.version,
  });
  expect(submitted.status).toBe(200);
  const approved = await moderator("POST", `${B_PREFIX}/api/v1/moderation/events/${bEvent}/approve`, {
    version: submitted.body.version,
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  const pending = await member("POST", `${B_PREFIX}/api/v1/events`, bInput("Beetaodotus"));
  bPending = pending.body.id;
  const pendingSubmitted = await member("POST", `${B_PREFIX}/api/v1/events/${bPending}/submit`, {
    version: pending.body.version,
  });
  expect(pendingSubmitted.status).toBe(200);
  const [row] = await db.select({ placeId: events.placeId }).from(events).where(eq(events.id, bEvent));
  bPlace = row!.placeId!;
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const anon = () => w.as("anonymous");
const titlesOf = (body: Record<string, any>) =>
  (body.data as { title: { text: string } }[]).map((e) => e.title.text);

describe(`two municipalities (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("lists only the site's own events, on A's host, A's default address and under B's prefix", async () => {
    for (const path of [`${A_HOST}/api/v1/events`, "/api/v1/events"]) {
      const res = await anon()("GET", path);
      expect(res.status).toBe(200);
      expect(titlesOf(res.body)).toContain("Aakkoskonsertti");
      expect(titlesOf(res.body)).not.toContain("Beetahuilu");
    }
    const b = await anon()("GET", `${B_PREFIX}/api/v1/events`);
    expect(b.status).toBe(200);
    expect(titlesOf(b.body)).toEqual(["Beetahuilu"]);
    // Asked again (from the response cache now): still each its own.
    expect(titlesOf((await anon()("GET", "/api/v1/events")).body)).not.toContain("Beetahuilu");
    expect(titlesOf((await anon()("GET", `${B_PREFIX}/api/v1/events`)).body)).toEqual(["Beetahuilu"]);
  });

  it("serves B's prefixed requests with the request id it was given, and /healthz without a tenant", async () => {
    const res = await w.t.app.request(`${B_PREFIX}/api/v1/events`, {
      headers: { "X-Request-Id": "req-b-1" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-b-1");
    expect((await w.t.app.request("/healthz")).status).toBe(200);
  });

  it("finds by search only the site's own events", async () => {
    expect(titlesOf((await anon()("GET", "/api/v1/events?q=beetahuilu")).body)).toEqual([]);
    expect(titlesOf((await anon()("GET", `${A_HOST}/api/v1/events?q=beetahuilu`)).body)).toEqual([]);
    expect(titlesOf((await anon()("GET", `${B_PREFIX}/api/v1/events?q=beetahuilu`)).body)).toEqual([
      "Beetahuilu",
    ]);
    expect(titlesOf((await anon()("GET", `${B_PREFIX}/api/v1/events?q=aakkoskonsertti`)).body)).toEqual([]);
  });

  it("shows another municipality's event by id as not found (API, feed, page)", async () => {
    expect((await anon()("GET", `/api/v1/events/${bEvent}`)).status).toBe(404);
    expect((await anon()("GET", `${A_HOST}/api/v1/events/${bEvent}`)).status).toBe(404);
    expect((await anon()("GET", `${B_PREFIX}/api/v1/events/${aEvent}`)).status).toBe(404);
    expect((await anon()("GET", `${B_PREFIX}/api/v1/events/${bEvent}`)).status).toBe(200);
    expect((await anon()("GET", `/feeds/events/${bEvent}.ics`)).status).toBe(404);
    expect((await anon()("GET", `${B_PREFIX}/feeds/events/${aEvent}.ics`)).status).toBe(404);
    expect((await anon()("GET", `${B_PREFIX}/feeds/events/${bEvent}.ics`)).status).toBe(200);
  });

  it("keeps feeds apart", async () => {
    const a = await w.t.app.request("/feeds/events.ics");
    const aText = await a.text();
    expect(a.status).toBe(200);
    expect(aText).toContain("Aakkoskonsertti");
    expect(aText).not.toContain("Beetahuilu");
    const b = await w.t.app.request(`${B_PREFIX}/feeds/events.ics`);
    const bText = await b.text();
    expect(b.status).toBe(200);
    expect(bText).toContain("Beetahuilu");
    expect(bText).not.toContain("Aakkoskonsertti");
    const rss = await (await w.t.app.request("/feeds/events.rss")).text();
    expect(rss).not.toContain("Beetahuilu");
  });

  it("keeps places apart: lists and filters", async () => {
    const aPlaces = await anon()("GET", "/api/v1/places");
    const ids = (aPlaces.body.data as { id: string }[]).map((p) => p.id);
    expect(ids).toContain(w.place.id);
    expect(ids).not.toContain(bPlace);
    const bPlaces = await anon()("GET", `${B_PREFIX}/api/v1/places`);
    expect((bPlaces.body.data as { id: string }[]).map((p) => p.id)).toEqual([bPlace]);
    expect((await anon()("GET", `/api/v1/events?place=${bPlace}`)).status).toBe(400);
    expect((await anon()("GET", `${B_PREFIX}/api/v1/events?place=${w.place.id}`)).status).toBe(400);
    // Categories: the region's shared list on both sites.
    const cats = await anon()("GET", `${B_PREFIX}/api/v1/categories`);
    expect((cats.body.data as { slug: string }[]).map((c) => c.slug)).toContain("musiikki");
  });

  it("an organiser on A's site cannot read or change B's events by id", async () => {
    const member = w.as("member");
    expect((await member("GET", `/api/v1/me/events/${bEvent}`)).status).toBe(404);
    expect((await member("GET", `${A_HOST}/api/v1/me/events/${bEvent}`)).status).toBe(404);
    expect((await member("GET", `${B_PREFIX}/api/v1/me/events/${bEvent}`)).status).toBe(200);
    const patch = await member("PATCH", `/api/v1/events/${bPending}`, {
      version: 2,
      title: { fi: "Kaapattu" },
    });
    expect(patch.status).toBe(404);
    expect((await member("POST", `/api/v1/events/${bEvent}/cancel`, { version: 1 })).status).toBe(404);
    const mine = await member("GET", "/api/v1/me/events");
    const mineIds = (mine.body.data as { id: string }[]).map((e) => e.id);
    expect(mineIds).toContain(aEvent);
    expect(mineIds).not.toContain(bEvent);
    // A's place cannot be used for an event of B.
    const cross = await member("POST", `${B_PREFIX}/api/v1/events`, w.event({ organisation_id: w.orgA.id }));
    expect(cross.status).toBe(400);
  });

  it("a moderator on A's site sees and decides only A's queue", async () => {
    const moderator = w.as("moderator");
    const aQueue = await moderator("GET", "/api/v1/moderation/queue");
    expect(aQueue.status).toBe(200);
    expect((aQueue.body.data as { id: string }[]).map((e) => e.id)).not.toContain(bPending);
    const bQueue = await moderator("GET", `${B_PREFIX}/api/v1/moderation/queue`);
    expect((bQueue.body.data as { id: string }[]).map((e) => e.id)).toEqual([bPending]);
    expect((await moderator("GET", `/api/v1/moderation/events/${bPending}`)).status).toBe(404);
    const approve = await moderator("POST", `/api/v1/moderation/events/${bPending}/approve`, { version: 2 });
    expect(approve.status).toBe(404);
    const log = await moderator("GET", "/api/v1/moderation/log?limit=100");
    const logged = (log.body.data as { event_id: string | null }[]).map((e) => e.event_id);
    expect(logged).toContain(aEvent);
    expect(logged).not.toContain(bEvent);
  });

  it("writes through B's site land in B", async () => {
    const db = w.database.db;
    for (const [table, column] of [
      ["events", "id"],
      ["occurrences", "event_id"],
      ["moderation_log", "event_id"],
    ] as const) {
      const rows = await queryRows<{ m: string }>(
        db,
        sql`select distinct municipality_id::text as m from ${sql.identifier(table)} where ${sql.identifier(column)} in (${bEvent}::uuid, ${bPending}::uuid)`,
      );
      expect(
        rows.map((r) => r.m),
        table,
      ).toEqual([B]);
      const aRows = await queryRows<{ m: string }>(
        db,
        sql`select distinct municipality_id::text as m from ${sql.identifier(table)} where ${sql.identifier(column)} = ${aEvent}::uuid`,
      );
      expect(
        aRows.map((r) => r.m),
        table,
      ).toEqual([A]);
    }
    const [place] = await queryRows<{ m: string }>(
      db,
      sql`select municipality_id::text as m from places where id = ${bPlace}::uuid`,
    );
    expect(place?.m).toBe(B);
  });
});
