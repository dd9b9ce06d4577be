/**
 * localDate and toOffsetIso format from cached offset spans instead of one Temporal
 * object per call: they must agree with Temporal for every instant and zone, around
 * DST transitions, for historical second-precision offsets and half-hour DST zones.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localDate, Temporal, toOffsetIso } from "../src/domain/time.ts";

const ZONES = [
  "Europe/Helsinki",
  "UTC",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "Pacific/Auckland",
  "America/St_Johns",
  "Europe/Amsterdam",
];

function viaTemporal(ms: number, tz: string) {
  const zdt = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);
  return {
    iso: `${zdt.toPlainDateTime().toString({ smallestUnit: "second" })}${zdt.offset}`,
    date: zdt.toPlainDate().toString(),
  };
}

describe("fast local time formatting", () => {
  it("agrees with Temporal for any instant between 1800 and 2200", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, tz) => {
          const want = viaTemporal(ms, tz);
          expect(toOffsetIso(new Date(ms), tz)).toBe(want.iso);
          expect(localDate(new Date(ms), tz)).toBe(want.date);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("agrees with Temporal on and around every transition of 2020–2030", () => {
    for (const tz of ZONES) {
      let zdt = Temporal.Instant.fromEpochMilliseconds(Date.UTC(2020, 0, 1)).toZonedDateTimeISO(tz);
      for (;;) {
        const next = zdt.getTimeZoneTransition("next");
        if (!next || next.epochMilliseconds > Date.UTC(2030, 0, 1)) break;
        const t = next.epochMilliseconds;
        for (const d of [-3_600_001, -1000, -1, 0, 1, 999, 1000, 3_600_000]) {
          expect(toOffsetIso(new Date(t + d), tz)).toBe(viaTemporal(t + d, tz).iso);
          expect(localDate(new Date(t + d), tz)).toBe(viaTemporal(t + d, tz).date);
        }
        zdt = next;
      }
    }
  });

  it("keeps Temporal's formatting outside years 1000–9999", () => {
    const ms = Date.UTC(-50, 5, 1, 12);
    expect(toOffsetIso(new Date(ms), "UTC")).toBe(viaTemporal(ms, "UTC").iso);
    expect(localDate(new Date(ms), "Europe/Helsinki")).toBe(viaTemporal(ms, "Europe/Helsinki").date);
  });
});
