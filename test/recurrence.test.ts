import { describe, expect, it } from "vitest";
import { coveredDates, expandSeries, validateRrule } from "../src/domain/recurrence.ts";
import { localDate, localDateTime, startOfLocalDay, toOffsetIso } from "../src/domain/time.ts";

const TZ = "Europe/Helsinki";
const horizon = new Date("2028-01-01T00:00:00Z");

describe(`recurrence (process TZ=${process.env.TZ ?? "system"})`, () => {
  it("keeps a weekly Tuesday 18:00 series at 18:00 local time across the October DST change", () => {
    const startsAt = localDateTime("2026-10-06", "18:00", TZ);
    const occ = expandSeries(
      {
        startsAt,
        endsAt: new Date(startsAt.getTime() + 90 * 60_000),
        allDay: false,
        timezone: TZ,
        rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        exdates: ["2026-10-20"],
        rdates: ["2026-10-22"],
      },
      horizon,
    );
    expect(occ.map((o) => toOffsetIso(o.startsAt, TZ))).toEqual([
      "2026-10-06T18:00:00+03:00",
      "2026-10-13T18:00:00+03:00",
      "2026-10-22T18:00:00+03:00",
      "2026-10-27T18:00:00+02:00",
      "2026-11-03T18:00:00+02:00",
      "2026-11-10T18:00:00+02:00",
    ]);
    // UTC hour moves by one when the offset changes; the local time does not.
    expect(occ[0]?.startsAt.toISOString()).toBe("2026-10-06T15:00:00.000Z");
    expect(occ[3]?.startsAt.toISOString()).toBe("2026-10-27T16:00:00.000Z");
    expect(occ[3] && occ[3].endsAt.getTime() - occ[3].startsAt.getTime()).toBe(90 * 60_000);
  });

  it("supports the last Friday and the 2nd Tuesday of the month", () => {
    const base = (rrule: string, date: string) => {
      const startsAt = localDateTime(date, "17:00", TZ);
      return expandSeries(
        { startsAt, endsAt: startsAt, allDay: false, timezone: TZ, rrule, exdates: [], rdates: [] },
        horizon,
      ).map((o) => localDate(o.startsAt, TZ));
    };
    expect(base("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", "2026-10-30")).toEqual([
      "2026-10-30",
      "2026-11-27",
      "2026-12-25",
    ]);
    expect(base("FREQ=MONTHLY;BYDAY=2TU;COUNT=3", "2026-11-10")).toEqual([
      "2026-11-10",
      "2026-12-08",
      "2027-01-12",
    ]);
  });

  it("expands all-day multi-day events to whole local days", () => {
    const startsAt = startOfLocalDay("2026-10-24", TZ);
    const endsAt = startOfLocalDay("2026-10-27", TZ); // three days, across the DST change
    const [o] = expandSeries(
      { startsAt, endsAt, allDay: true, timezone: TZ, rrule: null, exdates: [], rdates: [] },
      horizon,
    );
    expect(o).toBeDefined();
    expect(coveredDates(o!, TZ, true)).toEqual(["2026-10-24", "2026-10-25", "2026-10-26"]);
    expect(o!.endsAt.getTime() - o!.startsAt.getTime()).toBe((72 + 1) * 3_600_000);
  });

  it("stops unbounded series at the horizon", () => {
    const startsAt = localDateTime("2026-01-05", "10:00", TZ);
    const occ = expandSeries(
      {
        startsAt,
        endsAt: startsAt,
        allDay: false,
        timezone: TZ,
        rrule: "FREQ=WEEKLY",
        exdates: [],
        rdates: [],
      },
      new Date("2026-03-01T00:00:00Z"),
    );
    expect(occ).toHaveLength(8);
  });

  it.each([
    ["FREQ=HOURLY", /HOURLY is not supported/],
    ["FREQ=MINUTELY", /MINUTELY is not supported/],
    ["FREQ=SECONDLY", /SECONDLY is not supported/],
    ["FREQ=DAILY;COUNT=5000", /COUNT may be at most 1000/],
    ["BYDAY=TU", /must include FREQ/],
    ["FREQ=WEEKLY;BYHOUR=3", /BYHOUR is not supported/],
    ["FREQ=WEEKLY;COUNT=3;UNTIL=20270101T000000Z", /cannot both/],
  ])("rejects %s", (rule, message) => {
    const issues = validateRrule(rule);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.message).join(" ")).toMatch(message);
    expect(issues[0]?.path).toBe("rrule");
  });

  it("accepts ordinary rules", () => {
    expect(validateRrule("FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261215T215959Z")).toEqual([]);
    expect(validateRrule("RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=12")).toEqual([]);
  });
});
