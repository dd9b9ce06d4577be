import { describe, expect, it } from "vitest";
import {
  checkSeries,
  coveredDates,
  expandSeries,
  normaliseRrule,
  RecurrenceTooComplex,
  validateRrule,
} from "../src/domain/recurrence/expand.ts";
import {
  instantOfWallClock,
  localDate,
  localDateTime,
  startOfLocalDay,
  Temporal,
  toOffsetIso,
} from "../src/domain/time.ts";

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

  it.each([
    ["FREQ=WEEKLY;COUNT=3\r\nBEGIN:VEVENT", /only letters, digits/],
    ["FREQ=WEEKLY;COUNT=3\nX-EVIL:1", /only letters, digits/],
    ["FREQ=WEEKLY; COUNT=3", /only letters, digits/],
    ["FREQ=WEEKLY;COUNT=3\u0000", /only letters, digits/],
    ["FREQ=WEEKLY;X-NAME=1", /X-NAME is not an RRULE part/],
    ["FREQ=WEEKLY;FREQ=DAILY", /FREQ is given more than once/],
    ["FREQ=WEEKLY;BYDAY=", /BYDAY has no value/],
    ["FREQ=WEEKLY;;COUNT=3", /empty part/],
    ["FREQ=WEEKLY;COUNT", /COUNT must be written as COUNT=value/],
    ["FREQ=FORTNIGHTLY", /FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY/],
    ["FREQ=WEEKLY;BYMINUTE=0", /BYMINUTE is not supported/],
    ["FREQ=WEEKLY;BYSECOND=0", /BYSECOND is not supported/],
    ["FREQ=WEEKLY;BYDAY=2TU", /ordinals .* only with FREQ=MONTHLY or FREQ=YEARLY/],
    ["FREQ=MONTHLY;BYDAY=6TU", /from 1 to 5/],
    ["FREQ=YEARLY;BYDAY=54MO", /BYDAY must list weekdays/],
    ["FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO", /not have ordinals together with BYWEEKNO/],
    ["FREQ=MONTHLY;BYWEEKNO=20", /BYWEEKNO is only allowed with FREQ=YEARLY/],
    ["FREQ=MONTHLY;BYYEARDAY=20", /BYYEARDAY is only allowed with FREQ=YEARLY/],
    ["FREQ=WEEKLY;BYMONTHDAY=20", /BYMONTHDAY is not allowed with FREQ=WEEKLY/],
    ["FREQ=MONTHLY;BYSETPOS=1", /BYSETPOS needs another BYxxx/],
    ["FREQ=MONTHLY;BYMONTHDAY=32", /BYMONTHDAY must list/],
    ["FREQ=MONTHLY;BYMONTHDAY=0", /BYMONTHDAY must list/],
    ["FREQ=YEARLY;BYMONTH=13", /BYMONTH must list/],
    ["FREQ=YEARLY;BYMONTH=-1", /BYMONTH must list/],
    ["FREQ=YEARLY;BYYEARDAY=367", /BYYEARDAY must list/],
    ["FREQ=YEARLY;BYWEEKNO=54", /BYWEEKNO must list/],
    ["FREQ=WEEKLY;WKST=XX", /WKST must be a weekday/],
    ["FREQ=WEEKLY;INTERVAL=0", /INTERVAL must be/],
    ["FREQ=WEEKLY;UNTIL=20261340", /UNTIL must be/],
    ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", /never matches/],
    ["FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11", /never matches/],
    ["FREQ=YEARLY;BYYEARDAY=1;BYMONTH=6", /never matches/],
  ])("refuses %j naming rrule", (rule, message) => {
    const issues = validateRrule(rule);
    expect(issues.map((i) => i.message).join(" ")).toMatch(message);
    expect(issues.every((i) => i.path === "rrule")).toBe(true);
  });

  it("writes rules in one canonical form, with UNTIL of the start's kind", () => {
    const timed = { allDay: false, timezone: TZ };
    expect(normaliseRrule("rrule:byday=th,tu,TU;freq=weekly;until=20261215T215959Z", timed)).toEqual({
      ok: true,
      rrule: "FREQ=WEEKLY;UNTIL=20261215T215959Z;BYDAY=TU,TH",
    });
    expect(normaliseRrule("FREQ=MONTHLY;BYDAY=+2TU,-1FR;INTERVAL=02", timed)).toEqual({
      ok: true,
      rrule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU,-1FR",
    });
    // A date UNTIL of a timed series means "through that local day".
    expect(normaliseRrule("FREQ=DAILY;UNTIL=20261020", timed)).toEqual({
      ok: true,
      rrule: "FREQ=DAILY;UNTIL=20261020T205959Z",
    });
    expect(normaliseRrule("FREQ=DAILY;UNTIL=20261020T235959", timed)).toEqual({
      ok: true,
      rrule: "FREQ=DAILY;UNTIL=20261020T205959Z",
    });
    expect(normaliseRrule("FREQ=DAILY;UNTIL=20261020T215959Z", { allDay: true, timezone: TZ })).toEqual({
      ok: true,
      rrule: "FREQ=DAILY;UNTIL=20261021",
    });
    const again = normaliseRrule("FREQ=WEEKLY;UNTIL=20261215T215959Z;BYDAY=TU,TH", timed);
    expect(again).toEqual({ ok: true, rrule: "FREQ=WEEKLY;UNTIL=20261215T215959Z;BYDAY=TU,TH" });
  });

  it("bounds expansion by the days examined and refuses rules without an occurrence", () => {
    const series = (rrule: string, date: string) => {
      const startsAt = localDateTime(date, "18:00", TZ);
      return { startsAt, endsAt: startsAt, allDay: false, timezone: TZ, rrule, exdates: [], rdates: [] };
    };
    const started = performance.now();
    // 29 February from 1900: 46,000 candidate days for 31 occurrences.
    expect(() => expandSeries(series("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", "1900-03-01"), horizon)).toThrow(
      RecurrenceTooComplex,
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(checkSeries(series("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", "1900-03-01"), horizon)[0]?.code).toBe(
      "too_complex",
    );
    // Every fourth year from 2025 is never a leap year.
    const none = checkSeries(
      series("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "2025-01-01"),
      new Date("2031-01-01T00:00:00Z"),
    );
    expect(none).toMatchObject([{ path: "rrule", code: "no_occurrences" }]);
    expect(
      checkSeries(
        series("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2025-01-01"),
        new Date("2031-01-01T00:00:00Z"),
      ),
    ).toEqual([]);
  });

  it("expands week numbers, year days and set positions as RFC 5545 does", () => {
    const dates = (rrule: string, date: string) => {
      const startsAt = localDateTime(date, "10:00", TZ);
      return expandSeries(
        { startsAt, endsAt: startsAt, allDay: false, timezone: TZ, rrule, exdates: [], rdates: [] },
        horizon,
      ).map((o) => localDate(o.startsAt, TZ));
    };
    // Monday of week 1 may fall in the previous December.
    expect(dates("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;COUNT=2", "2025-12-01")).toEqual([
      "2025-12-29",
      "2027-01-04",
    ]);
    expect(dates("FREQ=YEARLY;BYYEARDAY=-1;COUNT=2", "2026-01-01")).toEqual(["2026-12-31", "2027-12-31"]);
    expect(dates("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3", "2026-01-01")).toEqual([
      "2026-01-30",
      "2026-02-27",
      "2026-03-31",
    ]);
  });

  it("converts wall-clock times like Temporal's compatible disambiguation", () => {
    for (const wall of ["2026-03-29T03:30", "2026-10-25T03:30", "2026-10-25T04:30", "2026-06-01T12:00"]) {
      const expected = Temporal.PlainDateTime.from(wall).toZonedDateTime(TZ, {
        disambiguation: "compatible",
      });
      expect(instantOfWallClock(Date.parse(`${wall}Z`), TZ), wall).toBe(expected.epochMilliseconds);
    }
  });
});
