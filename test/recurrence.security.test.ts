/**
 * Security regressions of recurrence rules and writes without an account (issue #13, slice A),
 * against the real server (`npm start`, demo data): RRULE line injection into iCal feeds, CPU
 * denial of service through rules that never match, and the rate limit on every write by an
 * anonymous caller or a submitter. Stored hostile values that bypass validation (rows written
 * before it, or straight into the database) are checked in-process, parsed by ical.js and
 * node-ical.
 */
import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import nodeIcal from "node-ical";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categories, eventCategories, events, organisations, places } from "../src/db/schema.ts";
import { materialiseOccurrences } from "../src/domain/events/occurrences.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { DEMO, type SecurityServer, startSecurityServer } from "./helpers/security-server.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./helpers/tenant.ts";

let srv: SecurityServer;
beforeAll(async () => {
  srv = await startSecurityServer();
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

const INJECTED =
  "FREQ=WEEKLY;COUNT=3\r\nBEGIN:VEVENT\r\nUID:evil@attacker.example\r\nSUMMARY:Injected\r\nDTSTART:20270101T000000Z\r\nEND:VEVENT";

const event = (over: Record<string, unknown> = {}) => ({
  title: { fi: "Kuorotreenit" },
  start: "2027-03-02T18:00:00+02:00",
  end: "2027-03-02T19:30:00+02:00",
  online_url: "https://example.fi/kuoro",
  ...over,
});

const rruleNamed = (body: Record<string, unknown>) =>
  ((body.errors ?? []) as { path: string }[]).some((e) => e.path === "rrule" || e.path === "event.rrule");

/** Every VEVENT of a feed as ical.js and node-ical read it: UID and summary. */
function parseFeed(text: string): { icaljs: string[]; nodeical: string[] } {
  const root = new ICAL.Component(ICAL.parse(text));
  const icaljs = root.getAllSubcomponents("vevent").map((v) => String(v.getFirstPropertyValue("uid")));
  const nodeical = Object.values(nodeIcal.sync.parseICS(text))
    .filter((c) => c?.type === "VEVENT")
    .map((c) => (c as nodeIcal.VEvent).uid);
  return { icaljs, nodeical };
}

let submissionIp = 0;
/** An anonymous submission, confirmed: its id, version and magic-link token. */
async function confirmedSubmission(): Promise<{ id: string; version: number; token: string }> {
  const ip = `203.0.113.${++submissionIp}`;
  const email = `submitter${submissionIp}@example.com`;
  const r = await srv.call("POST", "/api/v1/submissions", {
    ip,
    body: { submitter: { name: "Asukas", email }, event: event(), website: "" },
  });
  expect(r.status, r.text).toBe(202);
  const [, token] = await srv.mail.waitFor(email, /vahvista\?token=([\w-]+)/);
  const confirmed = await srv.call("POST", "/api/v1/submissions/confirm", { ip, body: { token } });
  expect(confirmed.status, confirmed.text).toBe(200);
  return { id: confirmed.body.id, version: confirmed.body.version, token: confirmed.body.access_token };
}

describe("RRULE line injection", () => {
  it("refuses CR/LF and unknown parts with a 400 naming rrule: submission, organiser, trusted token; the feed stays intact", async () => {
    const anon = await srv.call("POST", "/api/v1/submissions", {
      ip: "198.51.100.21",
      body: {
        submitter: { name: "X", email: "x@example.com" },
        event: event({ rrule: INJECTED }),
        website: "",
      },
    });
    expect(anon.status, anon.text).toBe(400);
    expect(rruleNamed(anon.body), anon.text).toBe(true);

    // A trusted organisation's API token publishes without review.
    const admin = await srv.login(DEMO.admin, undefined, "198.51.100.22");
    const orgs = await srv.call("GET", "/api/v1/moderation/organisations?trusted=true", {
      cookie: admin,
      ip: "198.51.100.22",
    });
    const trusted = (orgs.body.data as { id: string }[])[0];
    expect(trusted, orgs.text).toBeDefined();
    const created = await srv.call("POST", `/api/v1/organisations/${trusted?.id}/tokens`, {
      cookie: admin,
      ip: "198.51.100.22",
      body: { name: "security test" },
    });
    expect(created.status, created.text).toBe(201);
    const bearer = { Authorization: `Bearer ${created.body.token}` };

    for (const rrule of [
      INJECTED,
      "FREQ=WEEKLY;COUNT=3\nX-INJECTED:1",
      "FREQ=WEEKLY;X-EVIL=1",
      "FREQ=WEEKLY;COUNT=3;COUNT=4",
      "FREQ=WEEKLY;BYDAY=",
    ]) {
      const r = await srv.call("POST", "/api/v1/events", {
        ip: "198.51.100.23",
        headers: bearer,
        body: { organisation_id: trusted?.id, ...event({ rrule }) },
      });
      expect(r.status, `${JSON.stringify(rrule)} ${r.text}`).toBe(400);
      expect(r.body.type).toMatch(/#problem-validation-error$/);
      expect(rruleNamed(r.body), r.text).toBe(true);
    }

    // An edit cannot smuggle it in either; a valid rule is stored in canonical form.
    const ok = await srv.call("POST", "/api/v1/events", {
      ip: "198.51.100.23",
      headers: bearer,
      body: { organisation_id: trusted?.id, ...event({ rrule: "rrule:byday=tu;freq=weekly;count=3" }) },
    });
    expect(ok.status, ok.text).toBe(201);
    const patched = await srv.call("PATCH", `/api/v1/events/${ok.body.id}`, {
      ip: "198.51.100.23",
      headers: bearer,
      body: { version: ok.body.version, rrule: INJECTED },
    });
    expect(patched.status, patched.text).toBe(400);
    expect(rruleNamed(patched.body)).toBe(true);
    const published = await srv.call("POST", `/api/v1/events/${ok.body.id}/submit`, {
      ip: "198.51.100.23",
      headers: bearer,
      body: { version: ok.body.version },
    });
    expect(published.status, published.text).toBe(200);
    const detail = await srv.call("GET", `/api/v1/events/${ok.body.id}`);
    expect(detail.body.recurrence?.rrule).toBe("FREQ=WEEKLY;COUNT=3;BYDAY=TU");

    const feed = await srv.call("GET", "/feeds/events.ics");
    expect(feed.status).toBe(200);
    const parsed = parseFeed(feed.text);
    expect(parsed.icaljs).toEqual(parsed.nodeical);
    expect(parsed.icaljs).toContain(`${ok.body.id}@${new URL(srv.url).host}`);
    expect(parsed.icaljs.every((uid) => !uid.includes("attacker"))).toBe(true);
    expect(feed.text).toContain("RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=TU\r\n");
  });
});

describe("CPU denial of service through recurrence", () => {
  it("answers 8 parallel never-matching rules from different addresses with 400 naming rrule, /healthz stays fast", async () => {
    const hostile = [
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
      "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11",
      "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
      "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31",
      "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29",
      "FREQ=YEARLY;BYYEARDAY=1;BYMONTH=7",
      "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=-30",
      "FREQ=WEEKLY;BYMONTH=2;BYDAY=MO;INTERVAL=999",
    ];
    const timings: number[] = [];
    let done = false;
    const probe = (async () => {
      while (!done) {
        const t = performance.now();
        const r = await fetch(`${srv.url}/healthz`);
        await r.arrayBuffer();
        timings.push(performance.now() - t);
      }
    })();
    const results = await Promise.all(
      hostile.map((rrule, i) =>
        srv.call("POST", "/api/v1/submissions", {
          ip: `192.0.2.${100 + i}`,
          body: {
            submitter: { name: "Pommi", email: `pommi${i}@example.com` },
            event: event({ rrule }),
            website: "",
          },
        }),
      ),
    );
    done = true;
    await probe;
    expect(Math.max(...timings), `healthz ms: ${timings.map((t) => t.toFixed(0)).join(",")}`).toBeLessThan(
      500,
    );
    for (const [i, r] of results.entries()) {
      expect(r.status, `${hostile[i]}: ${r.text}`).toBe(400);
      expect(rruleNamed(r.body), r.text).toBe(true);
    }
  });

  it("refuses rules that are too costly to expand (a series from 1900) with a 400 naming rrule, quickly", async () => {
    const t = performance.now();
    const r = await srv.call("POST", "/api/v1/submissions", {
      ip: "192.0.2.120",
      body: {
        submitter: { name: "Pommi", email: "vanha@example.com" },
        event: event({
          start: "1900-03-01T18:00:00+02:00",
          end: "1900-03-01T19:00:00+02:00",
          rrule: "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
        }),
        website: "",
      },
    });
    expect(r.status, r.text).toBe(400);
    expect(rruleNamed(r.body)).toBe(true);
    expect(performance.now() - t).toBeLessThan(2_000);
  });
});

describe("rate limit on writes without an account", () => {
  it("PATCH /submissions/{id} beyond the limit is 429 with Retry-After, per client address", async () => {
    const s = await confirmedSubmission();
    const magic = { "X-Submitter-Token": s.token };
    // A never-matching rule through the magic link is refused like any other.
    const bomb = await srv.call("PATCH", `/api/v1/submissions/${s.id}`, {
      ip: "192.0.2.200",
      headers: magic,
      body: { version: s.version, rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" },
    });
    expect(bomb.status, bomb.text).toBe(400);
    expect(rruleNamed(bomb.body)).toBe(true);

    const statuses: number[] = [];
    let last: Awaited<ReturnType<SecurityServer["call"]>> | undefined;
    for (let i = 0; i < 60; i++) {
      last = await srv.call("PATCH", `/api/v1/submissions/${s.id}`, {
        ip: "192.0.2.201",
        headers: magic,
        body: { version: s.version + 1000 },
      });
      statuses.push(last.status);
    }
    expect(statuses.filter((x) => x === 429)).toHaveLength(0);
    last = await srv.call("PATCH", `/api/v1/submissions/${s.id}`, {
      ip: "192.0.2.201",
      headers: magic,
      body: { version: s.version + 1000 },
    });
    expect(last.status, last.text).toBe(429);
    expect(Number(last.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last.body.type).toMatch(/#problem-rate-limited$/);
    // Another address is not affected.
    const other = await srv.call("PATCH", `/api/v1/submissions/${s.id}`, {
      ip: "192.0.2.202",
      headers: magic,
      body: { version: s.version + 1000 },
    });
    expect(other.status).toBe(409);
  });

  it("counts anonymous writes too, but not an organiser's", async () => {
    let r: Awaited<ReturnType<SecurityServer["call"]>> | undefined;
    for (let i = 0; i < 61; i++) {
      r = await srv.call("POST", "/api/v1/submissions/confirm", {
        ip: "192.0.2.210",
        body: { token: `not-a-real-token-${i}` },
      });
    }
    expect(r?.status, r?.text).toBe(429);
    const cookie = await srv.login(DEMO.organiser, undefined, "192.0.2.211");
    for (let i = 0; i < 61; i++) {
      r = await srv.call("POST", "/api/v1/events", { ip: "192.0.2.211", cookie, body: { title: {} } });
    }
    expect(r?.status, r?.text).toBe(400);
  });
});

describe("stored hostile values (bypassing validation) in the iCal feed", () => {
  let database: TestDatabase;
  afterAll(async () => {
    await database?.close();
  });

  it("keeps every VEVENT intact for ical.js and node-ical, whatever the stored strings hold", async () => {
    database = await createSeededDatabase(20);
    const db = database.db;
    const [org] = await db.select().from(organisations).limit(1);
    const [place] = await db.select().from(places).limit(1);
    const [cat] = await db.select().from(categories).limit(1);
    if (!org || !place || !cat) throw new Error("seed data missing");
    const evil = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@attacker.example\r\nSUMMARY:Injected\r\nX";
    const lf = "x\nUID:evil2@attacker.example\rSUMMARY:Injected\u0001\u2028";
    await db
      .update(organisations)
      .set({ name: `Org ${evil}`, website: `https://example.fi/${evil}` })
      .where(eq(organisations.id, org.id));
    await db
      .update(places)
      .set({ name: { fi: `Paikka ${evil}` }, streetAddress: evil, locality: lf, postalCode: lf })
      .where(eq(places.id, place.id));
    await db
      .update(categories)
      .set({ name: { fi: evil, sv: lf, en: evil } })
      .where(eq(categories.id, cat.id));
    const base = {
      organisationId: org.id,
      municipalityId: DEFAULT_MUNICIPALITY_ID,
      state: "published" as const,
      publishedAt: new Date("2026-09-20T08:00:00Z"),
      createdAt: new Date("2026-09-15T08:00:00Z"),
      updatedAt: new Date("2026-09-20T08:00:00Z"),
      startsAt: new Date("2026-10-13T15:00:00Z"),
      endsAt: new Date("2026-10-13T16:30:00Z"),
    };
    const rows = [
      { ...base, title: { fi: `Rule ${evil}` }, placeId: place.id, rrule: `FREQ=WEEKLY;COUNT=3\r\n${evil}` },
      { ...base, title: { fi: `LF rule ${lf}` }, placeId: place.id, rrule: "FREQ=WEEKLY;COUNT=3\nX-A:1" },
      {
        ...base,
        title: { fi: evil, sv: lf },
        description: { fi: evil },
        onlineUrl: `https://x.example/${evil}`,
      },
      { ...base, title: { fi: "Loose" }, shortDescription: { fi: lf }, onlineUrl: `https://x.example/${lf}` },
      {
        ...base,
        title: { fi: "Exdates" },
        placeId: place.id,
        rrule: "FREQ=WEEKLY;COUNT=3",
        exdates: ["2026-10-20"],
      },
    ];
    const ids: string[] = [];
    for (const values of rows) {
      const [row] = await db.insert(events).values(values).returning();
      if (!row) throw new Error("insert failed");
      ids.push(row.id);
      // Occurrences as if the series were a single date, so that the feed picks the row up.
      await materialiseOccurrences(db, row.id, { ...row, rrule: null }, SEED_NOW);
      await db.insert(eventCategories).values({ eventId: row.id, categoryId: cat.id });
    }

    const { app } = buildTestApp(database, { clock: fixedClock(SEED_NOW.toISOString()) });
    for (const lang of ["fi", "sv", "en"]) {
      const res = await app.request(`/feeds/events.ics?lang=${lang}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      // Every line ends in CRLF; no bare CR or LF anywhere.
      expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      const parsed = parseFeed(text);
      expect(parsed.icaljs).toEqual(parsed.nodeical);
      expect(parsed.icaljs.every((uid) => uid.endsWith("@kalenteri.test"))).toBe(true);
      for (const id of ids) expect(parsed.icaljs).toContain(`${id}@kalenteri.test`);
      expect(text.match(/^BEGIN:VEVENT\r$/gm)?.length).toBe(parsed.icaljs.length);
      const unfolded = text.replace(/\r\n[ \t]/g, "");
      const block = (id: string) =>
        unfolded.slice(unfolded.indexOf(`UID:${id}@`)).split("\r\nEND:VEVENT\r\n")[0] ?? "";
      // A stored rule that does not parse is left out, with its EXDATEs; a valid one is kept.
      expect(block(ids[0] as string)).not.toContain("RRULE");
      expect(block(ids[1] as string)).not.toContain("RRULE");
      expect(block(ids[4] as string)).toContain("RRULE:FREQ=WEEKLY;COUNT=3\r\n");
      expect(block(ids[4] as string)).toContain("EXDATE;TZID=Europe/Helsinki:20261020T180000");
    }
  });
});
