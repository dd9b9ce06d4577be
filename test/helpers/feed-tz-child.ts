/**
 * Run in a child process with a chosen TZ (see test/feeds-tz.test.ts):
 *   build <json>  prints buildIcal() of the FeedEvents in the file;
 *   parse <ics>   parses the feed with ical.js and node-ical and prints, per UID, the
 *                 UTC start of every occurrence (YYYY-MM-DD for all-day), summary and status.
 */
import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import nodeIcal from "node-ical";
import { buildIcal } from "../../src/feeds/ical.ts";
import type { FeedEvent, FeedMeta } from "../../src/feeds/types.ts";

const [mode, file] = process.argv.slice(2) as [string, string];
const HORIZON = new Date("2027-12-31T00:00:00Z");

export interface ParsedEvent {
  starts: string[];
  summary: string;
  status: string | null;
}

const pad = (n: number) => String(n).padStart(2, "0");

if (mode === "build") {
  const input = JSON.parse(readFileSync(file, "utf8")) as { events: FeedEvent[]; meta: FeedMeta };
  const events = input.events.map((e) => ({
    ...e,
    startsAt: new Date(e.startsAt),
    endsAt: new Date(e.endsAt),
    createdAt: new Date(e.createdAt),
    updatedAt: new Date(e.updatedAt),
    publishedAt: e.publishedAt ? new Date(e.publishedAt) : null,
  }));
  process.stdout.write(buildIcal(events, input.meta));
} else if (mode === "parse") {
  const text = readFileSync(file, "utf8");
  const icaljs: Record<string, ParsedEvent> = {};
  const root = new ICAL.Component(ICAL.parse(text));
  for (const vtz of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  for (const v of root.getAllSubcomponents("vevent")) {
    const ev = new ICAL.Event(v);
    const starts: string[] = [];
    const it = ev.iterator();
    for (let t = it.next(); t && starts.length < 2000; t = it.next()) {
      const d = t.toJSDate();
      if (d > HORIZON) break;
      starts.push(t.isDate ? t.toString() : d.toISOString());
    }
    icaljs[ev.uid] = {
      starts,
      summary: ev.summary,
      status: (v.getFirstPropertyValue("status") as string | null) ?? null,
    };
  }
  const nodeical: Record<string, ParsedEvent> = {};
  const parsed = nodeIcal.sync.parseICS(text);
  for (const c of Object.values(parsed)) {
    if (c?.type !== "VEVENT") continue;
    const ev = c as nodeIcal.VEvent;
    const instances = nodeIcal.expandRecurringEvent(ev, {
      from: new Date("2025-01-01T00:00:00Z"),
      to: HORIZON,
    });
    const starts = instances.map((i) =>
      i.isFullDay
        ? `${i.start.getFullYear()}-${pad(i.start.getMonth() + 1)}-${pad(i.start.getDate())}`
        : i.start.toISOString(),
    );
    const summary = typeof ev.summary === "string" ? ev.summary : (ev.summary as { val: string }).val;
    nodeical[ev.uid] = { starts, summary, status: (ev.status as string | undefined) ?? null };
  }
  const calname = {
    icaljs: root.getFirstPropertyValue("x-wr-calname"),
    nodeical: parsed.vcalendar?.["WR-CALNAME"],
    name: root.getFirstPropertyValue("name"),
  };
  process.stdout.write(JSON.stringify({ icaljs, nodeical, calname }));
}
