import { describe, expect, it } from "vitest";
import { langFromSearch, MESSAGES } from "../../../src/contract/i18n/resident.ts";
import { eventDays, formatDay, formatEventTime, formatWhen, helsinkiTime, ymdKey } from "./format.ts";

const when = (lang: "fi" | "sv" | "en", start: string, end: string | null, all_day = false) =>
  formatWhen({ start, end, all_day }, lang, MESSAGES[lang]);

describe("formatDay", () => {
  it("writes the weekday and date per language", () => {
    const day = { y: 2026, m: 6, d: 13 };
    expect(formatDay(day, "fi", MESSAGES.fi)).toBe("lauantai 13.6.2026");
    expect(formatDay(day, "sv", MESSAGES.sv)).toBe("lördag 13.6.2026");
    expect(formatDay(day, "en", MESSAGES.en)).toBe("Saturday 13 June 2026");
  });
});

describe("formatWhen", () => {
  it("formats a same-day time range", () => {
    const [s, e] = ["2026-06-13T12:00:00+03:00", "2026-06-13T16:00:00+03:00"];
    expect(when("fi", s, e)).toBe("klo 12.00–16.00");
    expect(when("sv", s, e)).toBe("kl. 12.00–16.00");
    expect(when("en", s, e)).toBe("12:00–16:00");
  });

  it("uses Helsinki time whatever the offset in the data", () => {
    expect(when("fi", "2026-06-13T21:30:00Z", "2026-06-13T23:00:00Z")).toBe("klo 0.30–2.00");
    expect(helsinkiTime(new Date("2026-06-13T21:30:00Z"))).toMatchObject({ y: 2026, m: 6, d: 14 });
  });

  it("handles the night the clocks go forward", () => {
    expect(when("en", "2026-03-28T22:30:00Z", "2026-03-29T01:30:00Z")).toBe("00:30–04:30");
  });

  it("shows dates for events that span days", () => {
    const [s, e] = ["2026-12-05T21:00:00+02:00", "2026-12-06T01:30:00+02:00"];
    expect(when("fi", s, e)).toBe("5.12. klo 21.00 – 6.12. klo 1.30");
    expect(when("en", s, e)).toBe("5 December 21:00 – 6 December 01:30");
  });

  it("formats all-day events with an inclusive last day", () => {
    expect(when("fi", "2026-12-05", "2026-12-05", true)).toBe("koko päivän");
    expect(when("sv", "2026-12-05", null, true)).toBe("hela dagen");
    expect(when("en", "2026-12-05", "2026-12-05", true)).toBe("all day");
    expect(when("fi", "2026-12-05", "2026-12-07", true)).toBe("5.–7.12.2026");
    expect(when("en", "2026-11-28", "2026-12-03", true)).toBe("28 November – 3 December 2026");
    expect(when("fi", "2026-12-30", "2027-01-02", true)).toBe("30.12.2026–2.1.2027");
  });
});

describe("eventDays", () => {
  it("reads all-day dates without time zone shifts", () => {
    const days = eventDays({ start: "2026-12-05", end: "2026-12-07", all_day: true });
    expect(days && [ymdKey(days.first), ymdKey(days.last)]).toEqual(["2026-12-05", "2026-12-07"]);
  });
});

describe("langFromSearch", () => {
  it("defaults to Finnish", () => {
    expect(langFromSearch("?lang=sv")).toBe("sv");
    expect(langFromSearch("?lang=de")).toBe("fi");
    expect(langFromSearch("")).toBe("fi");
  });
});

describe("formatEventTime", () => {
  const t = (lang: "fi" | "sv" | "en", start: string, end: string | null, all_day = false) =>
    formatEventTime({ start, end, all_day }, lang, MESSAGES[lang]);

  it("writes the local format with a short weekday and date", () => {
    const [s, e] = ["2026-06-13T12:00:00+03:00", "2026-06-13T16:00:00+03:00"];
    expect(t("fi", s, e)).toBe("la 13.6.2026 klo 12–16");
    expect(t("sv", s, e)).toBe("lö 13.6.2026 kl. 12–16");
    expect(t("en", s, e)).toBe("Sat 13 June 2026, 12:00–16:00");
    expect(t("fi", "2026-06-13T09:30:00Z", null)).toBe("la 13.6.2026 klo 12.30");
  });

  it("spans days and all-day ranges", () => {
    expect(t("fi", "2026-12-05T21:00:00+02:00", "2026-12-06T01:30:00+02:00")).toBe(
      "la 5.12.2026 klo 21 – su 6.12.2026 klo 1.30",
    );
    expect(t("fi", "2026-12-05", "2026-12-05", true)).toBe("la 5.12.2026");
    expect(t("en", "2026-12-05", "2026-12-06", true)).toBe("Sat 5 December 2026 – Sun 6 December 2026");
  });
});
