/**
 * Caches per municipality (#21, migration 0010): with the response cache and the data
 * versions held in memory, an edit in municipality A rebuilds A's responses (and those of a
 * site that shows A's events) while B's cached list, detail and feed stay hits, answered
 * without a data query; a change to regional data (an organisation) rebuilds every site's.
 *
 * A is the default municipality (the world's data), B and C are served under path prefixes;
 * C's site also shows A's events (its `visible` set is [C, A], as chosen neighbours make it).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResponseCache, type MemoryResponseCache } from "../src/cache/response-cache.ts";
import { events, municipalities, organisations } from "../src/db/schema.ts";
import {
  createDataVersionTracker,
  type DataVersionTracker,
  getDataVersion,
} from "../src/domain/data-version.ts";
import type { TenantDirectory } from "../src/domain/tenants.ts";
import { type TenantCache, tenantCache } from "../src/http/tenant.ts";
import { onPostgres } from "./helpers/db.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./helpers/tenant.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

const A = DEFAULT_MUNICIPALITY_ID;
let B: string;
let C: string;
let w: World;
let tracker: DataVersionTracker;
let cache: MemoryResponseCache;
let listener: { ready: Promise<void>; close(): Promise<void> };
let queries: string[] = [];
let aEvent: { id: string; version: number };
let bEvent: string;

/** The app's municipalities, with C's site also showing A's events. */
function withNeighbour(base: TenantCache): TenantCache {
  const seen = new WeakMap<TenantDirectory, TenantDirectory>();
  const map = (d: TenantDirectory): TenantDirectory => {
    let mapped = seen.get(d);
    if (!mapped) {
      const all = d.all.map((t) => (t.id === C ? { ...t, visible: [C, A] } : t));
      mapped = {
        all,
        bySlug: new Map(all.map((t) => [t.slug, t])),
        byHost: new Map([...d.byHost].map(([h, t]) => [h, all.find((x) => x.id === t.id) ?? t])),
      };
      seen.set(d, mapped);
    }
    return mapped;
  };
  return {
    get: async (db) => map(await base.get(db)),
    peek: () => {
      const d = base.peek();
      return d && map(d);
    },
    invalidate: () => base.invalidate(),
  };
}

beforeAll(async () => {
  tracker = createDataVersionTracker();
  cache = createMemoryResponseCache();
  const base = tenantCache();
  w = await createWorkflowWorld({
    responseCache: cache,
    dataVersion: tracker,
    tenants: withNeighbour(base),
    onQuery: (q) => {
      tracker.noteQuery(q);
      queries.push(q);
    },
  });
  const db = w.database.db;
  const rows = await db
    .insert(municipalities)
    .values([
      { slug: "dv-b", name: { fi: "B-kunta" } },
      { slug: "dv-c", name: { fi: "C-kunta" } },
    ])
    .returning();
  B = rows[0]!.id;
  C = rows[1]!.id;
  base.invalidate();
  listener = w.database.listenDataVersion?.(tracker) as typeof listener;
  await listener.ready;

  aEvent = await w.eventIn("published", { title: { fi: "Aan konsertti" } });
  const member = w.as("member");
  const created = await member(
    "POST",
    "/dv-b/api/v1/events",
    w.event({
      organisation_id: w.orgA.id,
      title: { fi: "Been huilukonsertti" },
      place_id: undefined,
      place: { name: { fi: "Beetalo" }, street_address: "Bekatu 1", locality: "B-kunta" },
    }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  bEvent = created.body.id;
  const submitted = await member("POST", `/dv-b/api/v1/events/${bEvent}/submit`, {
    version: created.body.version,
  });
  const approved = await w.as("moderator")("POST", `/dv-b/api/v1/moderation/events/${bEvent}/approve`, {
    version: submitted.body.version,
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
}, 120_000);

afterAll(async () => {
  await listener?.close();
  await w?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => w.t.app.request(path, { headers });
const titles = async (res: Response) =>
  ((await res.json()) as { data: { title: { text: string } }[] }).data.map((d) => d.title.text);

const B_READS = [
  "/dv-b/api/v1/events?limit=50",
  () => `/dv-b/api/v1/events/${bEvent}`,
  "/dv-b/feeds/events.ics",
];
const bPaths = () => B_READS.map((p) => (typeof p === "string" ? p : p()));

/** Asks until the answer is a hit from memory (earlier notifications may still arrive). */
async function warm(path: string): Promise<void> {
  const end = Date.now() + 5_000;
  for (;;) {
    const memory = tracker.stats.memory;
    const res = await get(path);
    expect(res.status, path).toBe(200);
    if (res.headers.get("x-cache") === "hit" && tracker.stats.memory === memory + 1) return;
    if (Date.now() > end) throw new Error(`no hit from memory for ${path}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The statements other than reads of the data versions. */
const dataQueries = () => queries.filter((q) => !q.includes("municipality_data_versions"));

describe(`caches per municipality (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("answers each site's cached responses from memory, without a query", async () => {
    for (const path of [...bPaths(), "/api/v1/events?limit=50", "/dv-c/api/v1/events?limit=50"])
      await warm(path);
    queries = [];
    for (const path of bPaths()) expect((await get(path)).headers.get("x-cache")).toBe("hit");
    expect(queries).toEqual([]);
    expect(await titles(await get("/dv-c/api/v1/events?limit=50"))).toContain("Aan konsertti");
  });

  it("an edit in A rebuilds A's and C's responses, and leaves B's cached list, detail and feed hits", async () => {
    for (const path of [...bPaths(), "/api/v1/events?limit=50", "/dv-c/api/v1/events?limit=50"])
      await warm(path);
    const entries = cache.stats.entries;
    const bVersion = await getDataVersion(w.database.db, [B]);
    await w.database.db
      .update(events)
      .set({ title: { fi: "Aan uusi konsertti" }, version: sql`version + 1` })
      .where(eq(events.id, aEvent.id));

    expect(await getDataVersion(w.database.db, [B])).toBe(bVersion);
    // Right after the write (this process made it: the versions are read once from the
    // database), B's responses are still hits: no data query, no rebuild.
    queries = [];
    for (const path of bPaths()) expect((await get(path)).headers.get("x-cache"), path).toBe("hit");
    expect(dataQueries()).toEqual([]);

    const a = await get("/api/v1/events?limit=50");
    expect(a.headers.get("x-cache")).toBe("miss");
    expect(await titles(a)).toContain("Aan uusi konsertti");
    const c = await get("/dv-c/api/v1/events?limit=50");
    expect(c.headers.get("x-cache")).toBe("miss");
    expect(await titles(c)).toContain("Aan uusi konsertti");
    const aDetail = await get(`/api/v1/events/${aEvent.id}`);
    expect(aDetail.status).toBe(200);
    expect(JSON.stringify(await aDetail.json())).toContain("Aan uusi konsertti");
    // B's entries were not dropped when A's newer ones were stored.
    for (const path of bPaths()) expect((await get(path)).headers.get("x-cache"), path).toBe("hit");
    expect(cache.stats.entries).toBeGreaterThanOrEqual(entries);

    // Once the notification is in, B's hits need no query at all again.
    for (const path of bPaths()) await warm(path);
    queries = [];
    for (const path of bPaths()) expect((await get(path)).headers.get("x-cache")).toBe("hit");
    expect(queries).toEqual([]);
  });

  it("renaming B rebuilds the answers that show B's name, and leaves A's cached list a hit", async () => {
    await warm("/api/v1/events?limit=50");
    await warm("/dv-b/api/v1/events?limit=50");
    const bName = async (res: Response) =>
      ((await res.json()) as { data: { municipality: { name: { text: string } } }[] }).data.map(
        (d) => d.municipality.name.text,
      );
    expect(await bName(await get("/dv-b/api/v1/events?limit=50"))).toContain("B-kunta");
    const admin = w.as("admin");
    const read = await admin("GET", `/api/v1/admin/municipalities/${B}`);
    expect(read.status).toBe(200);
    const renamed = await admin("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: read.body.updated_at,
      name: { fi: "Beekunta" },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    const b = await get("/dv-b/api/v1/events?limit=50");
    expect(b.headers.get("x-cache")).toBe("miss");
    expect(await bName(b)).toContain("Beekunta");
    expect((await get("/api/v1/events?limit=50")).headers.get("x-cache")).toBe("hit");
  });

  it("an operator's SQL edit of a municipality moves its version alone; touching only updated_at moves none", async () => {
    const before = {
      a: await getDataVersion(w.database.db, [A]),
      b: await getDataVersion(w.database.db, [B]),
    };
    await w.database.db.update(municipalities).set({ updatedAt: new Date() }).where(eq(municipalities.id, B));
    expect(await getDataVersion(w.database.db, [B])).toBe(before.b);
    await w.database.db
      .update(municipalities)
      .set({ publicUrl: "https://b.example.fi/" })
      .where(eq(municipalities.id, B));
    expect(await getDataVersion(w.database.db, [B])).not.toBe(before.b);
    expect(await getDataVersion(w.database.db, [A])).toBe(before.a);
    await w.database.db.update(municipalities).set({ publicUrl: null }).where(eq(municipalities.id, B));
  });

  it("an edit in B leaves A's cached list a hit and rebuilds B's", async () => {
    await warm("/api/v1/events?limit=50");
    await warm("/dv-b/api/v1/events?limit=50");
    await w.database.db
      .update(events)
      .set({ title: { fi: "Been uusi huilukonsertti" }, version: sql`version + 1` })
      .where(eq(events.id, bEvent));
    queries = [];
    expect((await get("/api/v1/events?limit=50")).headers.get("x-cache")).toBe("hit");
    expect((await get("/dv-c/api/v1/events?limit=50")).headers.get("x-cache")).toBe("hit");
    expect(dataQueries()).toEqual([]);
    const b = await get("/dv-b/api/v1/events?limit=50");
    expect(b.headers.get("x-cache")).toBe("miss");
    expect(await titles(b)).toEqual(["Been uusi huilukonsertti"]);
  });

  it("a change to regional data (an organisation's name) rebuilds every site's responses", async () => {
    const paths = [...bPaths(), "/api/v1/events?limit=50", "/dv-c/api/v1/events?limit=50"];
    for (const path of paths) await warm(path);
    await w.database.db
      .update(organisations)
      .set({ name: "Yhdistys A (uusi nimi)" })
      .where(eq(organisations.id, w.orgA.id));
    for (const path of paths) expect((await get(path)).headers.get("x-cache"), path).toBe("miss");
    const list = (await (await get("/dv-b/api/v1/events?limit=50")).json()) as {
      data: { organisation: { name: string } | null }[];
    };
    expect(list.data[0]?.organisation?.name).toBe("Yhdistys A (uusi nimi)");
  });
});
