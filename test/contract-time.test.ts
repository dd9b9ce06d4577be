/**
 * src/contract/time.ts, the one implementation of local wall time ↔ instant that the server
 * and the browser share (#14), against Temporal (temporal-polyfill): fast-check probes wall
 * times and instants around every DST transition of zones with one-hour, half-hour (Lord Howe)
 * and midnight (São Paulo, until 2019) changes, plus all-day ranges over those days. Explicit
 * cases pin the Helsinki spring gap, the autumn overlap and a leap day. Run under TZ=UTC and
 * TZ=Pacific/Auckland: the process's own zone must never leak in.
 */
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import {
  addDays,
  allDayRange,
  instantToLocal,
  isLocalDate,
  lastDayInclusive,
  localToInstant,
  startOfDay,
} from "../src/contract/time.ts";
import { instantOfWallClock, lastDayInclusive as serverLastDay } from "../src/domain/time.ts";

const ZONES = [
  "Europe/Helsinki",
  "America/New_York",
  "Australia/Lord_Howe",
  "Pacific/Auckland",
  "America/Sao_Paulo",
] as const;

/** Every transition of `zone` between 1990 and 2040 (São Paulo's DST ended in 2019). */
function transitions(zone: string): Temporal.ZonedDateTime[] {
  const out: Temporal.ZonedDateTime[] = [];
  let z: Temporal.ZonedDateTime | null = Temporal.ZonedDateTime.from(`1990-01-01T00:00[${zone}]`);
  const stop = Temporal.Instant.from("2040-01-01T00:00Z");
  for (;;) {
    z = z.getTimeZoneTransition("next");
    if (!z || Temporal.Instant.compare(z.toInstant(), stop) > 0) break;
    out.push(z);
  }
  return out;
}

const TRANSITIONS = Object.fromEntries(ZONES.map((z) => [z, transitions(z)])) as Record<
  string,
  Temporal.ZonedDateTime[]
>;

const pad = (n: number) => String(n).padStart(2, "0");

/** Temporal's answer for a wall time (the reference). */
function temporalInstant(date: string, time: string, zone: string): number {
  return Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(zone, {
    disambiguation: "compatible",
  }).epochMilliseconds;
}

/** A zone, one of its transitions, and minutes either side of it (walls in gaps and overlaps). */
const nearTransition = fc.constantFrom(...ZONES).chain((zone) =>
  fc.record({
    zone: fc.constant(zone),
    transition: fc.constantFrom(...(TRANSITIONS[zone] as Temporal.ZonedDateTime[])),
    minutes: fc.integer({ min: -26 * 60, max: 26 * 60 }),
  }),
);

describe("contract/time against Temporal", () => {
  it("finds transitions to probe in every zone", () => {
    for (const zone of ZONES) expect(TRANSITIONS[zone]?.length ?? 0).toBeGreaterThan(20);
  });

  it("localToInstant: wall times around DST transitions (gaps, overlaps) disambiguate as 'compatible'", () => {
    fc.assert(
      fc.property(nearTransition, ({ zone, transition, minutes }) => {
        // The wall time `minutes` after the transition's own wall time (in the new offset).
        const wall = transition.toPlainDateTime().add({ minutes });
        const date = wall.toPlainDate().toString();
        const time = `${pad(wall.hour)}:${pad(wall.minute)}`;
        expect(localToInstant(date, time, zone).getTime()).toBe(temporalInstant(date, time, zone));
      }),
      { numRuns: 1500 },
    );
  });

  it("localToInstant: every quarter hour within 3 hours of every transition", () => {
    for (const zone of ZONES) {
      for (const tr of TRANSITIONS[zone] ?? []) {
        for (let q = -12; q <= 12; q++) {
          const wall = tr.toPlainDateTime().add({ minutes: q * 15 });
          const date = wall.toPlainDate().toString();
          const time = `${pad(wall.hour)}:${pad(wall.minute)}`;
          const want = temporalInstant(date, time, zone);
          if (localToInstant(date, time, zone).getTime() !== want) {
            expect({ zone, date, time, got: localToInstant(date, time, zone).toISOString() }).toEqual({
              zone,
              date,
              time,
              got: new Date(want).toISOString(),
            });
          }
        }
      }
    }
  });

  it("localToInstant: any wall time 1970–2100, with seconds", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.date({
          min: new Date("1970-01-01T00:00Z"),
          max: new Date("2100-01-01T00:00Z"),
          noInvalidDate: true,
        }),
        (zone, d) => {
          const iso = d.toISOString();
          const date = iso.slice(0, 10);
          const time = iso.slice(11, 19);
          expect(localToInstant(date, time, zone).getTime()).toBe(temporalInstant(date, time, zone));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("instantToLocal: instants around transitions and anywhere 1970–2100", () => {
    const check = (ms: number, zone: string) => {
      const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
      expect(instantToLocal(new Date(ms), zone, true)).toEqual({
        date: z.toPlainDate().toString(),
        time: z.toPlainTime().toString({ smallestUnit: "second" }),
      });
      expect(instantToLocal(new Date(ms), zone).time).toBe(
        z.toPlainTime().toString({ smallestUnit: "minute" }),
      );
    };
    fc.assert(
      fc.property(
        nearTransition,
        fc.integer({ min: 0, max: 59_999 }),
        ({ zone, transition, minutes }, extra) => {
          check(transition.epochMilliseconds + minutes * 60_000 + extra - 30_000, zone);
        },
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), (zone, ms) =>
        check(ms, zone),
      ),
      { numRuns: 1000 },
    );
  });

  it("allDayRange and lastDayInclusive: ranges over DST days are Temporal's start-of-day bounds", () => {
    fc.assert(
      fc.property(nearTransition, fc.integer({ min: 0, max: 3 }), ({ zone, transition, minutes }, length) => {
        const first = transition
          .toPlainDate()
          .add({ days: Math.trunc(minutes / (24 * 60)) })
          .toString();
        const last = addDays(first, length);
        const { startsAt, endsAt } = allDayRange(first, last, zone);
        const startOf = (d: string) => Temporal.PlainDate.from(d).toZonedDateTime({ timeZone: zone });
        expect(startsAt.getTime()).toBe(startOf(first).epochMilliseconds);
        expect(endsAt.getTime()).toBe(startOf(last).add({ days: 1 }).startOfDay().epochMilliseconds);
        expect(lastDayInclusive(endsAt, zone)).toBe(last);
        expect(instantToLocal(startsAt, zone).date).toBe(first);
      }),
      { numRuns: 1000 },
    );
  });

  it("addDays agrees with Temporal, years written as Temporal does (-10000 to 20000)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("-010000-01-01T00:00Z"),
          max: new Date("+020000-01-01T00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: -800, max: 800 }),
        (d, n) => {
          const date = Temporal.PlainDate.from({
            year: d.getUTCFullYear(),
            month: d.getUTCMonth() + 1,
            day: d.getUTCDate(),
          });
          expect(addDays(date.toString(), n)).toBe(date.add({ days: n }).toString());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("agrees with the server's fast all-day end (lastDayInclusive over cached offset spans)", () => {
    fc.assert(
      fc.property(nearTransition, fc.integer({ min: 0, max: 3 }), ({ zone, transition, minutes }, length) => {
        const first = transition
          .toPlainDate()
          .add({ days: Math.trunc(minutes / (24 * 60)) })
          .toString();
        const { endsAt } = allDayRange(first, addDays(first, length), zone);
        expect(serverLastDay(endsAt, zone)).toBe(lastDayInclusive(endsAt, zone));
        const any = new Date(transition.epochMilliseconds + minutes * 60_000);
        expect(serverLastDay(any, zone)).toBe(lastDayInclusive(any, zone));
      }),
      { numRuns: 1000 },
    );
  });

  it("agrees with the server's fast path for recurrences (instantOfWallClock)", () => {
    fc.assert(
      fc.property(nearTransition, ({ zone, transition, minutes }) => {
        const wall = transition.toPlainDateTime().add({ minutes });
        const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
        const date = wall.toPlainDate().toString();
        const time = `${pad(wall.hour)}:${pad(wall.minute)}`;
        expect(localToInstant(date, time, zone).getTime()).toBe(instantOfWallClock(wallMs, zone));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("contract/time explicit cases", () => {
  const HKI = "Europe/Helsinki";

  it("a time in Helsinki's spring gap moves forward by the gap: 2027-03-28 03:30 is 04:30+03:00", () => {
    // The browser's old helsinkiInstant gave 00:30Z (02:30+02:00) here; the server 01:30Z.
    expect(localToInstant("2027-03-28", "03:30", HKI).toISOString()).toBe("2027-03-28T01:30:00.000Z");
    expect(instantToLocal(localToInstant("2027-03-28", "03:30", HKI), HKI)).toEqual({
      date: "2027-03-28",
      time: "04:30",
    });
    // Either side of the gap as written.
    expect(localToInstant("2027-03-28", "02:59", HKI).toISOString()).toBe("2027-03-28T00:59:00.000Z");
    expect(localToInstant("2027-03-28", "04:00", HKI).toISOString()).toBe("2027-03-28T01:00:00.000Z");
  });

  it("a time in Helsinki's autumn overlap takes the earlier offset: 2027-10-31 03:30 is 03:30+03:00", () => {
    expect(localToInstant("2027-10-31", "03:30", HKI).toISOString()).toBe("2027-10-31T00:30:00.000Z");
    // One hour later the same wall time happens again, at +02:00.
    expect(instantToLocal(new Date("2027-10-31T01:30:00Z"), HKI)).toEqual({
      date: "2027-10-31",
      time: "03:30",
    });
    expect(localToInstant("2027-10-31", "04:00", HKI).toISOString()).toBe("2027-10-31T02:00:00.000Z");
  });

  it("a leap day: 2028-02-29 exists, 2027-02-29 does not", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2028-02-29", 1)).toBe("2028-03-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(isLocalDate("2028-02-29")).toBe(true);
    expect(isLocalDate("2027-02-29")).toBe(false);
    expect(() => localToInstant("2027-02-29", "12:00", HKI)).toThrow(RangeError);
    expect(localToInstant("2028-02-29", "12:00", HKI).toISOString()).toBe("2028-02-29T10:00:00.000Z");
    const range = allDayRange("2028-02-29", "2028-02-29", HKI);
    expect(range).toEqual({
      startsAt: new Date("2028-02-28T22:00:00Z"),
      endsAt: new Date("2028-02-29T22:00:00Z"),
    });
    expect(lastDayInclusive(range.endsAt, HKI)).toBe("2028-02-29");
  });

  it("an all-day range over the spring change is 23 hours a day shorter, and reads back", () => {
    const r = allDayRange("2027-03-27", "2027-03-28", HKI);
    expect(r.startsAt.toISOString()).toBe("2027-03-26T22:00:00.000Z");
    expect(r.endsAt.toISOString()).toBe("2027-03-28T21:00:00.000Z");
    expect(lastDayInclusive(r.endsAt, HKI)).toBe("2027-03-28");
  });

  it("a day whose midnight is skipped starts at the transition (São Paulo, 2018-11-04)", () => {
    expect(startOfDay("2018-11-04", "America/Sao_Paulo").toISOString()).toBe("2018-11-04T03:00:00.000Z");
    expect(instantToLocal(startOfDay("2018-11-04", "America/Sao_Paulo"), "America/Sao_Paulo").time).toBe(
      "01:00",
    );
  });

  it("reads and writes years outside 0000–9999 as Temporal does (an API bound of 9999-12-31)", () => {
    expect(addDays("9999-12-31", 1)).toBe("+010000-01-01");
    expect(addDays("0000-01-01", -1)).toBe("-000001-12-31");
    expect(startOfDay("+010000-01-01", HKI).getTime()).toBe(
      Temporal.PlainDate.from("+010000-01-01").toZonedDateTime({ timeZone: HKI }).epochMilliseconds,
    );
    expect(startOfDay("0000-01-01", HKI).getTime()).toBe(
      Temporal.PlainDate.from("0000-01-01").toZonedDateTime({ timeZone: HKI }).epochMilliseconds,
    );
    expect(instantToLocal(new Date("-000001-06-01T12:00:00Z"), HKI, true)).toEqual({
      date: "-000001-06-01",
      time: "13:39:49",
    });
  });

  it("refuses malformed input", () => {
    expect(() => addDays("-000000-01-01", 1)).toThrow(RangeError);
    expect(() => localToInstant("2027-3-28", "03:30", HKI)).toThrow(RangeError);
    expect(() => localToInstant("2027-03-28", "24:00", HKI)).toThrow(RangeError);
    expect(() => localToInstant("2027-03-28", "3:30", HKI)).toThrow(RangeError);
    expect(() => instantToLocal(new Date(Number.NaN), HKI)).toThrow(RangeError);
    expect(() => localToInstant("2027-03-28", "03:30", "Mars/Olympus")).toThrow(RangeError);
  });
});
