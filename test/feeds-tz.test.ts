/**
 * iCal feeds are correct whatever the server's zone: the feed is built and parsed
 * (ical.js and node-ical) in child processes under TZ=UTC and TZ=Pacific/Auckland, and
 * every occurrence's UTC start must equal what the JSON API says. Covers all-day,
 * multi-day, a weekly series across the October DST change with EXDATE and RDATE,
 * and a cancelled event.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visibleTo } from "../src/domain/tenants.ts";
import { loadFeedEvents } from "../src/feeds/feed-events.ts";
import { buildIcal } from "../src/feeds/ical.ts";
import type { FeedMeta } from "../src/feeds/types.ts";
import { buildTestApp, fixedClock, testConfig } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { type FeedFixtures, insertFeedFixtures } from "./helpers/feed-fixtures.ts";
import type { ParsedEvent } from "./helpers/feed-tz-child.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";
import { DEFAULT_TENANT } from "./helpers/tenant.ts";

const SITE = { id: DEFAULT_TENANT.id, installUrl: "https://kalenteri.example" };

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHILD = fileURLToPath(new URL("./helpers/feed-tz-child.ts", import.meta.url));
const ZONES = ["UTC", "Pacific/Auckland"];

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;
let fx: FeedFixtures;
let dir: string;

beforeAll(async () => {
  database = await createSeededDatabase();
  fx = await insertFeedFixtures(database.db);
  t = buildTestApp(database, {
    clock: fixedClock(SEED_NOW.toISOString()),
    config: testConfig({ SITE_NAME: "Nurmijärvi, tapahtumat; testi" }),
  });
  dir = mkdtempSync(join(tmpdir(), "kk-feed-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.close();
});

function runChild(tz: string, mode: "build" | "parse", file: string): string {
  return execFileSync(process.execPath, ["--import", "tsx", CHILD, mode, file], {
    cwd: ROOT,
    env: { ...process.env, TZ: tz },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

interface Parsed {
  icaljs: Record<string, ParsedEvent>;
  nodeical: Record<string, ParsedEvent>;
  calname: { icaljs: string; nodeical: string; name: string };
}

/** Upcoming occurrence starts of an event as the JSON API gives them, as UTC (or dates for all-day). */
async function apiStarts(id: string): Promise<{ starts: string[]; allDay: boolean; status: string }> {
  const res = await t.app.request(`/api/v1/events/${id}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    all_day: boolean;
    event_status: string;
    occurrences: { start: string }[];
  };
  return {
    allDay: body.all_day,
    status: body.event_status,
    starts: body.occurrences.map((o) => (body.all_day ? o.start : new Date(o.start).toISOString())),
  };
}

const unescapeText = (s: string) =>
  s.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));

describe("iCal feed under different server time zones", () => {
  it("parses identically with ical.js and node-ical under TZ=UTC and TZ=Pacific/Auckland, matching the API", async () => {
    const res = await t.app.request("/feeds/events.ics");
    expect(res.status).toBe(200);
    const body = await res.text();
    const file = join(dir, "feed.ics");
    writeFileSync(file, body);
    const host = "kalenteri.test";
    const cases = [fx.allDay, fx.multiDay, fx.multiDayTimed, fx.weekly, fx.cancelled];
    for (const tz of ZONES) {
      const parsed = JSON.parse(runChild(tz, "parse", file)) as Parsed;
      // The calendar name keeps its comma and semicolon in both parsers.
      // ical.js does not know X-WR-CALNAME and NAME are TEXT and hands out the escaped form.
      expect(unescapeText(parsed.calname.icaljs)).toBe("Nurmijärvi, tapahtumat; testi");
      expect(parsed.calname.nodeical).toBe("Nurmijärvi, tapahtumat; testi");
      expect(unescapeText(parsed.calname.name)).toBe("Nurmijärvi, tapahtumat; testi");
      for (const id of cases) {
        const api = await apiStarts(id);
        for (const parser of ["icaljs", "nodeical"] as const) {
          const ev = parsed[parser][`${id}@${host}`];
          expect(ev, `${parser} ${tz} ${id}`).toBeDefined();
          const upcoming = (ev as ParsedEvent).starts.filter((s) =>
            api.allDay ? s >= "2026-10-01" : new Date(s) > new Date("2026-10-01T06:00:00Z"),
          );
          // node-ical ignores RDATE (ical.js expands it): compare it without the extra dates.
          const expected =
            parser === "nodeical" ? api.starts.filter((x) => x !== "2026-10-29T16:00:00.000Z") : api.starts;
          expect(upcoming, `${parser} under ${tz}`).toEqual(expected);
        }
      }
      const weekly = parsed.icaljs[`${fx.weekly}@${host}`] as ParsedEvent;
      // 18:00 local on both sides of the DST change; no 20 Oct; the extra 29 Oct.
      expect(weekly.starts.slice(0, 5)).toEqual([
        "2026-10-13T15:00:00.000Z",
        "2026-10-27T16:00:00.000Z",
        "2026-10-29T16:00:00.000Z",
        "2026-11-03T16:00:00.000Z",
        "2026-11-10T16:00:00.000Z",
      ]);
      expect(parsed.icaljs[`${fx.allDay}@${host}`]?.starts).toEqual(["2026-10-10"]);
      expect(parsed.icaljs[`${fx.multiDay}@${host}`]?.starts).toEqual(["2026-10-16"]);
      const cancelled = parsed.nodeical[`${fx.cancelled}@${host}`] as ParsedEvent;
      expect(cancelled.status).toBe("CANCELLED");
      expect(cancelled.summary).toBe("PERUTTU: Peruttu konsertti");
      expect(parsed.icaljs[`${fx.cancelled}@${host}`]?.status).toBe("CANCELLED");
    }
    // Spans: multi-day all-day DTEND is exclusive, timed multi-day keeps its times.
    const unfolded = body.replace(/\r\n[ \t]/g, "");
    const block = (id: string) => unfolded.slice(unfolded.indexOf(`UID:${id}@`)).split("END:VEVENT")[0] ?? "";
    expect(block(fx.multiDay)).toContain("DTSTART;VALUE=DATE:20261016\r\nDTEND;VALUE=DATE:20261019");
    expect(block(fx.allDay)).toContain("DTSTART;VALUE=DATE:20261010\r\nDTEND;VALUE=DATE:20261011");
    expect(block(fx.multiDayTimed)).toContain(
      "DTSTART;TZID=Europe/Helsinki:20261106T180000\r\nDTEND;TZID=Europe/Helsinki:20261108T140000",
    );
    expect(block(fx.weekly)).toContain("RRULE:FREQ=WEEKLY;UNTIL=20261124T215959Z;BYDAY=TU");
    expect(block(fx.weekly)).toContain("EXDATE;TZID=Europe/Helsinki:20261020T180000");
    expect(block(fx.weekly)).toContain("RDATE;TZID=Europe/Helsinki:20261029T180000");
  });

  it("builds byte-identical output whatever the process time zone", async () => {
    const events = await loadFeedEvents(
      database.db,
      visibleTo(DEFAULT_TENANT),
      [fx.allDay, fx.multiDay, fx.multiDayTimed, fx.weekly, fx.cancelled, fx.injection],
      SITE,
    );
    const meta: FeedMeta = {
      lang: "sv",
      publicUrl: "https://kalenteri.example",
      siteName: "Nurmijärvi",
      name: "Nurmijärvi, evenemang",
      selfUrl: "https://kalenteri.example/feeds/events.ics?lang=sv",
    };
    const file = join(dir, "events.json");
    writeFileSync(file, JSON.stringify({ events, meta }));
    const here = buildIcal(events, meta);
    expect(buildIcal([...events].reverse(), meta)).toBe(here);
    for (const tz of ZONES) expect(runChild(tz, "build", file)).toBe(here);
    expect(here).toContain("SUMMARY:INSTÄLLT: Inställd konsert");
  });
});
