/**
 * The data version kept in memory (DataVersionTracker + the database's notifications,
 * migration 0003): cache hits and 304s without a query, no stale read right after a
 * write on the same instance, a second instance on the same database converging through
 * the notifications, and a lost listener falling back to reading the database.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResponseCache } from "../src/cache/response-cache.ts";
import { type Database, PREPARED_MARK, type Queryable } from "../src/db/client.ts";
import { openPostgres } from "../src/db/postgres.ts";
import { createDataVersionTracker, type DataVersionTracker, mayWrite } from "../src/domain/data-version.ts";
import { buildTestApp } from "./helpers/app.ts";
import { onPostgres } from "./helpers/db.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

let w: World;
let tracker: DataVersionTracker;
let listener: { ready: Promise<void>; close(): Promise<void> };
let queries: string[] = [];

beforeAll(async () => {
  tracker = createDataVersionTracker();
  w = await createWorkflowWorld({
    responseCache: createMemoryResponseCache(),
    dataVersion: tracker,
    onQuery: (q) => {
      tracker.noteQuery(q);
      queries.push(q);
    },
  });
  listener = w.database.listenDataVersion?.(tracker) as typeof listener;
  await listener.ready;
});
afterAll(async () => {
  await listener?.close();
  await w?.close();
});

const get = (
  app: { request: (p: string, i?: RequestInit) => Response | Promise<Response> },
  path: string,
  headers: Record<string, string> = {},
) => app.request(path, { headers });
const ids = async (res: Response) =>
  ((await res.json()) as { data: { event_id: string }[] }).data.map((d) => d.event_id);

async function until(what: string, check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("data version in memory", () => {
  it("answers cache hits and 304s without a database query", async () => {
    await w.eventIn("published");
    const app = w.t.app;
    const first = await get(app, "/api/v1/events?limit=10");
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag") as string;
    const feed = await get(app, "/feeds/events.ics");
    const feedTag = feed.headers.get("etag") as string;
    expect(tracker.listening).toBe(true);

    queries = [];
    const hit = await get(app, "/api/v1/events?limit=10");
    expect(hit.headers.get("x-cache")).toBe("hit");
    expect((await get(app, "/api/v1/events?limit=10", { "If-None-Match": etag })).status).toBe(304);
    expect((await get(app, "/feeds/events.ics")).headers.get("x-cache")).toBe("hit");
    expect((await get(app, "/feeds/events.ics", { "If-None-Match": feedTag })).status).toBe(304);
    expect(queries).toEqual([]);
  });

  it("shows an approval on the very next request of the same instance", async () => {
    const app = w.t.app;
    const pending = await w.eventIn("pending", { title: { fi: "Hyväksytään heti" } });
    const list = await get(app, "/api/v1/events?limit=50");
    const etag = list.headers.get("etag") as string;
    expect(await ids(list)).not.toContain(pending.id);
    expect((await get(app, "/api/v1/events?limit=50")).headers.get("x-cache")).toBe("hit");
    expect(await (await get(app, "/feeds/events.ics")).text()).not.toContain(pending.id);

    const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${pending.id}/approve`, {
      version: pending.version,
    });
    expect(approved.status).toBe(200);

    const after = await get(app, "/api/v1/events?limit=50");
    expect(await ids(after)).toContain(pending.id);
    expect((await get(app, "/api/v1/events?limit=50", { "If-None-Match": etag })).status).toBe(200);
    expect(await (await get(app, "/feeds/events.ics")).text()).toContain(pending.id);
    expect((await get(app, `/api/v1/events/${pending.id}`)).status).toBe(200);
  });

  describe("a second instance on the same database", () => {
    let other: {
      database: Database;
      tracker: DataVersionTracker;
      app: ReturnType<typeof buildTestApp>["app"];
    };
    let otherListener: { ready: Promise<void>; close(): Promise<void> };

    beforeAll(async () => {
      const t2 = createDataVersionTracker();
      // On PostgreSQL its own pool, as another process would have; PGlite has one owner
      // process, so the second instance shares it but sees none of the first one's statements.
      const database = onPostgres
        ? openPostgres(w.database.url as string, { max: 2, onQuery: t2.noteQuery })
        : w.database;
      const { app } = buildTestApp(
        { ...database, close: async () => {} },
        { clock: w.clock, config: w.t.config, responseCache: createMemoryResponseCache(), dataVersion: t2 },
      );
      other = { database, tracker: t2, app };
      otherListener = database.listenDataVersion?.(t2) as typeof otherListener;
      await otherListener.ready;
    });
    afterAll(async () => {
      await otherListener?.close();
      if (onPostgres) await other?.database.close();
    });

    /** Lists on the second instance until the answer comes from memory (earlier notifications may still arrive). */
    async function warm(path: string) {
      let res: Response | undefined;
      await until("a cache hit answered from memory", async () => {
        const memory = other.tracker.stats.memory;
        res = await get(other.app, path);
        return res.headers.get("x-cache") === "hit" && other.tracker.stats.memory === memory + 1;
      });
      return res as Response;
    }

    it("sees a write of the first instance through the notification", async () => {
      const path = "/api/v1/events?limit=50&q=ilmoitus";
      const pending = await w.eventIn("pending", { title: { fi: "Ilmoitus toiselle" } });
      expect(await ids(await warm(path))).not.toContain(pending.id);
      const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${pending.id}/approve`, {
        version: pending.version,
      });
      expect(approved.status).toBe(200);
      await until("the second instance to list the approved event", async () =>
        (await ids(await get(other.app, path))).includes(pending.id),
      );
      expect(other.tracker.listening).toBe(true);
    });

    it("reads the database while its listener is gone, and listens again after a reconnection", async () => {
      const path = "/api/v1/events?limit=50&q=yhteys";
      const first = await w.eventIn("pending", { title: { fi: "Yhteys katki" } });
      expect(await ids(await warm(path))).not.toContain(first.id);

      if (onPostgres) {
        // The server drops the listening connection, as a restart or a network failure would.
        await w.database.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity
              where application_name = 'kuntakalenteri-version-listener' and datname = current_database()`,
        );
      } else {
        await otherListener.close();
      }
      await until("the listener to be noticed as lost", async () => !other.tracker.listening);
      const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${first.id}/approve`, {
        version: first.version,
      });
      expect(approved.status).toBe(200);
      if (onPostgres) {
        // Whichever comes first, the version read per request or the renewed LISTEN, the event is there.
        expect(await ids(await get(other.app, path))).toContain(first.id);
        await until("the listener to reconnect", async () => other.tracker.listening, 10_000);
      } else {
        // Without a listener every request reads the version: the very next one is fresh.
        const reads = other.tracker.stats.reads;
        expect(await ids(await get(other.app, path))).toContain(first.id);
        expect(other.tracker.stats.reads).toBe(reads + 1);
        otherListener = other.database.listenDataVersion?.(other.tracker) as typeof otherListener;
        await otherListener.ready;
      }
      const second = await w.eventIn("pending", { title: { fi: "Yhteys palasi" } });
      await w.as("moderator")("POST", `/api/v1/moderation/events/${second.id}/approve`, {
        version: second.version,
      });
      await until("the reconnected instance to list the next approval", async () =>
        (await ids(await get(other.app, path))).includes(second.id),
      );
    });
  });
});

describe("DataVersionTracker", () => {
  const M = "00000000-0000-4000-8000-00000000000a";
  const N = "00000000-0000-4000-8000-00000000000b";
  /** A fake database whose version query waits until released; M's version is set, N stays at 1. */
  function fakeDb() {
    let version = 1;
    const pending: (() => void)[] = [];
    const db = {
      execute: () =>
        new Promise((resolve) => {
          const v = version;
          pending.push(() =>
            resolve([
              { id: M, version: String(v) },
              { id: N, version: "1" },
            ]),
          );
        }),
    } as unknown as Queryable;
    return {
      db,
      set: (v: number) => (version = v),
      release: async () => {
        for (const r of pending.splice(0)) r();
        await new Promise((r) => setTimeout(r, 0));
      },
    };
  }

  it("trusts memory only while listening, and only after a read that raced nothing", async () => {
    const t = createDataVersionTracker();
    const f = fakeDb();
    const ids = [M];
    t.setListening(true);
    const raced = t.get(f.db, ids);
    t.invalidate(); // a write committed while the read was under way
    await f.release();
    expect(await raced).toBe(`${M}:1`);
    f.set(2);
    const fresh = t.get(f.db, ids);
    await f.release();
    expect(await fresh).toBe(`${M}:2`);
    expect(t.stats.reads).toBe(2);
    expect(await t.get(f.db, ids)).toBe(`${M}:2`);
    expect(t.stats.memory).toBe(1);

    t.observe(M, "5");
    expect(await t.get(f.db, ids)).toBe(`${M}:5`);
    t.observe(M, "3"); // never backwards
    expect(await t.get(f.db, ids)).toBe(`${M}:5`);

    t.noteQuery('update "events" set "title" = $1');
    f.set(6);
    const after = t.get(f.db, ids);
    await f.release();
    expect(await after).toBe(`${M}:6`);

    t.setListening(false);
    f.set(7);
    const unlistened = t.get(f.db, ids);
    await f.release();
    expect(await unlistened).toBe(`${M}:7`);
    const again = t.get(f.db, ids);
    await f.release();
    expect(await again).toBe(`${M}:7`);
    expect(t.stats.memory).toBe(3);
  });

  it("stamps several municipalities in id order, moving when any member moves", async () => {
    const t = createDataVersionTracker();
    const f = fakeDb();
    t.setListening(true);
    const read = t.get(f.db, [N, M]);
    await f.release();
    expect(await read).toBe(`${M}:1,${N}:1`);
    const both = [N, M];
    expect(t.peek(both)).toBe(`${M}:1,${N}:1`);
    expect(t.peek(both)).toBe(t.peek([M, N]));
    t.observe(N, "4");
    expect(t.peek(both)).toBe(`${M}:1,${N}:4`);
    expect(t.peek([M])).toBe(`${M}:1`);
    // A municipality not held (created since the last read) is read from the database.
    const O = "00000000-0000-4000-8000-00000000000c";
    expect(t.peek([O])).toBeUndefined();
    const reads = t.stats.reads;
    const unknown = t.get(f.db, [O]);
    await f.release();
    expect(await unknown).toBe(`${O}:0`);
    expect(t.stats.reads).toBe(reads + 1);
    t.observe(O, "1");
    expect(t.peek([O, M])).toBe(`${M}:1,${O}:1`);
  });

  it("counts every statement that may write", () => {
    expect(mayWrite('select "id" from "events" where "deleted_at" is null')).toBe(false);
    expect(mayWrite("with x as (select 1) select * from x")).toBe(false);
    // A statement kept prepared starts with a comment (PREPARED_MARK): still a read. Taken for a
    // write, every list read forgot the data version and the next request read it again.
    expect(mayWrite(`${PREPARED_MARK}with pg as (select 1) select * from pg`)).toBe(false);
    expect(mayWrite(`${PREPARED_MARK}select 1`)).toBe(false);
    expect(mayWrite(`${PREPARED_MARK}with d as (delete from sessions returning id) select 1`)).toBe(true);
    expect(mayWrite("/* a */ /* b */ select 1")).toBe(true);
    expect(mayWrite('insert into "events" values ($1)')).toBe(true);
    expect(mayWrite("with d as (delete from sessions returning id) select count(*) from d")).toBe(true);
    expect(mayWrite("select 1 for update")).toBe(true);
    expect(mayWrite("begin")).toBe(true);
  });
});
