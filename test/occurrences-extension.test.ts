/**
 * extendRecurringOccurrences, the scheduled job (Node timer, Workers cron) that keeps open-ended
 * series materialised as the 18-month horizon moves: it adds exactly the occurrences the rule
 * gives up to the new horizon, keeps the existing ones, honours EXDATE, RDATE, COUNT, UNTIL and
 * the expansion limits, does nothing when run again, and works through `batch` events at a time.
 * Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { events, occurrences } from "../src/db/schema.ts";
import { extendRecurringOccurrences, HORIZON_MONTHS, horizonFrom } from "../src/domain/events/occurrences.ts";
import { expandSeries, MAX_OCCURRENCES } from "../src/domain/recurrence/expand.ts";
import { addDays, localDateTime } from "../src/domain/time.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { insertEvent } from "./helpers/events.ts";

const TZ = "Europe/Helsinki";
/** When the events are created: a Monday. Their occurrences then run to horizonFrom(T0), 2027-07-05. */
const T0 = new Date("2026-01-05T09:00:00Z");
/** Two months later: the horizon is 2027-09-05, and the series above end more than a month before it. */
const T1 = new Date("2026-03-05T09:00:00Z");
const MINUTES_90 = 90 * 60_000;

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});
// Every test starts from no events: the job looks at all of them.
beforeEach(async () => {
  await database.db.delete(events);
});

/** A weekly series on Tuesdays at 18:00 Helsinki time, 90 minutes long, from 2026-01-06. */
async function tuesdays(
  extra: { rrule?: string; exdates?: string[]; rdates?: string[]; deletedAt?: Date } = {},
): Promise<string> {
  const startsAt = localDateTime("2026-01-06", "18:00", TZ);
  return insertEvent(
    database.db,
    {
      title: { fi: "Tiistaijumppa" },
      startsAt,
      endsAt: new Date(startsAt.getTime() + MINUTES_90),
      timezone: TZ,
      rrule: "FREQ=WEEKLY;BYDAY=TU",
      ...extra,
    },
    T0,
  );
}

/** The stored occurrences of one event, in order, as ISO instants. */
async function stored(eventId: string): Promise<{ start: string; end: string }[]> {
  const rows = await database.db
    .select({ startsAt: occurrences.startsAt, endsAt: occurrences.endsAt })
    .from(occurrences)
    .where(eq(occurrences.eventId, eventId))
    .orderBy(asc(occurrences.startsAt));
  return rows.map((r) => ({
    start: new Date(r.startsAt).toISOString(),
    end: new Date(r.endsAt).toISOString(),
  }));
}

/** Tuesdays at 18:00 local time from `first` (a Tuesday) while before `until`, computed by hand. */
function tuesdaysBetween(first: string, until: Date, skip: string[] = []): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  for (let day = first; ; day = addDays(day, 7)) {
    const start = localDateTime(day, "18:00", TZ);
    if (start >= until) return out;
    if (skip.includes(day)) continue;
    out.push({ start: start.toISOString(), end: new Date(start.getTime() + MINUTES_90).toISOString() });
  }
}

describe("extendRecurringOccurrences", () => {
  it("adds exactly the occurrences between the old and the new horizon, keeping the others", async () => {
    const id = await tuesdays();
    const before = await stored(id);
    expect(horizonFrom(T0).toISOString()).toBe("2027-07-05T09:00:00.000Z");
    expect(before).toEqual(tuesdaysBetween("2026-01-06", horizonFrom(T0)));
    expect(before.at(-1)?.start).toBe("2027-06-29T15:00:00.000Z"); // 18:00 in summer time (+03:00)

    expect(await extendRecurringOccurrences(database.db, T1)).toBe(1);

    const after = await stored(id);
    expect(after.slice(0, before.length)).toEqual(before);
    const added = after.slice(before.length);
    expect(added).toEqual(tuesdaysBetween("2027-07-06", horizonFrom(T1)));
    expect(added.map((o) => o.start.slice(0, 10))).toEqual([
      "2027-07-06",
      "2027-07-13",
      "2027-07-20",
      "2027-07-27",
      "2027-08-03",
      "2027-08-10",
      "2027-08-17",
      "2027-08-24",
      "2027-08-31",
    ]);
    // Bounded by the new horizon, HORIZON_MONTHS ahead of `now`.
    expect(HORIZON_MONTHS).toBe(18);
    expect(after.every((o) => new Date(o.start) < horizonFrom(T1))).toBe(true);
  });

  it("is idempotent: a second run, or a run before the horizon has moved a month, changes nothing", async () => {
    const id = await tuesdays();
    const initial = await stored(id);
    // Less than a month of the horizon has passed since the series was materialised.
    expect(await extendRecurringOccurrences(database.db, T0)).toBe(0);
    expect(await extendRecurringOccurrences(database.db, new Date("2026-01-25T09:00:00Z"))).toBe(0);
    expect(await stored(id)).toEqual(initial);

    expect(await extendRecurringOccurrences(database.db, T1)).toBe(1);
    const extended = await stored(id);
    expect(await extendRecurringOccurrences(database.db, T1)).toBe(0);
    expect(await extendRecurringOccurrences(database.db, new Date("2026-03-06T09:00:00Z"))).toBe(0);
    expect(await stored(id)).toEqual(extended);
  });

  it("leaves out EXDATEs and keeps RDATEs, old and new alike", async () => {
    const id = await tuesdays({
      exdates: ["2026-02-03", "2027-07-13", "2027-08-24"],
      rdates: ["2026-02-05", "2027-07-15"],
    });
    expect(await extendRecurringOccurrences(database.db, T1)).toBe(1);

    const rdate = (day: string) => {
      const start = localDateTime(day, "18:00", TZ);
      return { start: start.toISOString(), end: new Date(start.getTime() + MINUTES_90).toISOString() };
    };
    const expected = [
      ...tuesdaysBetween("2026-01-06", horizonFrom(T1), ["2026-02-03", "2027-07-13", "2027-08-24"]),
      rdate("2026-02-05"),
      rdate("2027-07-15"),
    ].sort((a, b) => a.start.localeCompare(b.start));
    const after = await stored(id);
    expect(after).toEqual(expected);
    const days = after.map((o) => o.start.slice(0, 10));
    expect(days).not.toContain("2027-07-13");
    expect(days).not.toContain("2027-08-24");
    expect(days).toContain("2027-07-15");
    expect(await extendRecurringOccurrences(database.db, T1)).toBe(0);
  });

  it("stops at UNTIL and COUNT: a series that has ended gets nothing more", async () => {
    const until = await tuesdays({ rrule: "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270810T210000Z" });
    const count = await tuesdays({ rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=10" });
    const countBefore = await stored(count);
    expect(countBefore).toHaveLength(10);

    expect(await extendRecurringOccurrences(database.db, T1)).toBe(1);
    expect(await stored(until)).toEqual(tuesdaysBetween("2026-01-06", new Date("2027-08-10T21:00:00Z")));
    expect((await stored(until)).at(-1)?.start).toBe("2027-08-10T15:00:00.000Z");
    expect(await stored(count)).toEqual(countBefore);

    // Two months on, the UNTIL series is complete: nothing to add.
    expect(await extendRecurringOccurrences(database.db, new Date("2026-05-05T09:00:00Z"))).toBe(0);
    expect((await stored(until)).at(-1)?.start).toBe("2027-08-10T15:00:00.000Z");
  });

  it("keeps the occurrences of a series that the new horizon would take past the limits", async () => {
    // Daily from 400 days before T0: under MAX_OCCURRENCES at T0, over it by T1.
    const startsAt = localDateTime(addDays("2026-01-05", -400), "10:00", TZ);
    const series = {
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
      allDay: false,
      timezone: TZ,
      rrule: "FREQ=DAILY",
      exdates: [],
      rdates: [],
    };
    const id = await insertEvent(database.db, { title: { fi: "Päivittäin" }, ...series }, T0);
    const daily = await tuesdays();
    const before = await stored(id);
    expect(before.length).toBeLessThanOrEqual(MAX_OCCURRENCES);
    expect(() => expandSeries(series, horizonFrom(T1))).toThrow(RangeError);

    // The other series is still extended; this one keeps what it has.
    expect(await extendRecurringOccurrences(database.db, T1)).toBe(1);
    expect(await stored(id)).toEqual(before);
    expect((await stored(daily)).at(-1)?.start).toBe("2027-08-31T15:00:00.000Z");
  });

  it("leaves deleted events and one-off events alone", async () => {
    const deleted = await tuesdays({ deletedAt: T0 });
    const deletedBefore = await stored(deleted);
    const startsAt = localDateTime("2027-06-29", "18:00", TZ);
    const once = await insertEvent(
      database.db,
      { title: { fi: "Kerran" }, startsAt, endsAt: new Date(startsAt.getTime() + MINUTES_90), timezone: TZ },
      T0,
    );
    expect(await extendRecurringOccurrences(database.db, T1)).toBe(0);
    expect(await stored(deleted)).toEqual(deletedBefore);
    expect(await stored(once)).toHaveLength(1);
  });

  it("works through at most `batch` series per run", async () => {
    const ids = [await tuesdays(), await tuesdays(), await tuesdays()];
    expect(await extendRecurringOccurrences(database.db, T1, 2)).toBe(2);
    expect(await extendRecurringOccurrences(database.db, T1, 2)).toBe(1);
    expect(await extendRecurringOccurrences(database.db, T1, 2)).toBe(0);
    for (const id of ids) expect((await stored(id)).at(-1)?.start).toBe("2027-08-31T15:00:00.000Z");
  });

  it("extends a series that has an RDATE beyond the horizon", async () => {
    // The extra date is far ahead; the weekly occurrences must still follow the horizon.
    const id = await tuesdays({ rdates: ["2028-06-01"] });
    expect(await extendRecurringOccurrences(database.db, T1)).toBe(1);
    const days = (await stored(id)).map((o) => o.start.slice(0, 10));
    expect(days).toContain("2027-08-31");
    expect(days.at(-1)).toBe("2028-06-01");
  });
});
