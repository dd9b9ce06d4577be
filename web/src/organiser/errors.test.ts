/** The API's field errors in the UI language, by their machine-readable code (fallback: the API text). */
import { describe, expect, it } from "vitest";
import { ORGANISER_MESSAGES } from "../../../src/contract/i18n/organiser.ts";
import { MESSAGES } from "../../../src/contract/i18n/resident.ts";
import { localiseIssue } from "./common.ts";
import type { T } from "./event-form.ts";

const t = (lang: "fi" | "sv" | "en") => ({ ...MESSAGES[lang], ...ORGANISER_MESSAGES[lang] }) as unknown as T;

describe("localiseIssue", () => {
  it("translates the codes it knows", () => {
    const tooLong = {
      path: "title.fi",
      message: "Too big: expected string to have <=200 characters",
      code: "too_big",
      maximum: 200,
    };
    expect(localiseIssue(tooLong, t("fi"))).toBe("Enintään 200 merkkiä.");
    expect(localiseIssue(tooLong, t("sv"))).toBe("Högst 200 tecken.");
    expect(localiseIssue({ ...tooLong, path: "event.short_description.en", maximum: 160 }, t("en"))).toBe(
      "At most 160 characters.",
    );
    expect(
      localiseIssue({ path: "image.url", message: "must be an http(s) URL", code: "custom" }, t("fi")),
    ).toBe(ORGANISER_MESSAGES.fi.errUrl);
    expect(
      localiseIssue({ path: "submitter.email", message: "Invalid email", code: "invalid_format" }, t("sv")),
    ).toBe(ORGANISER_MESSAGES.sv.errEmail);
    expect(
      localiseIssue(
        { path: "audience.min_age", message: "Too small", code: "too_small", minimum: 0 },
        t("en"),
      ),
    ).toBe(ORGANISER_MESSAGES.en.errAge);
  });

  it("translates the recurrence limit", () => {
    const e = {
      path: "rrule",
      message: "the series may have at most 1000 occurrences",
      code: "too_many_occurrences",
      maximum: 1000,
    };
    expect(localiseIssue(e, t("sv"))).toContain("högst 1000 tillfällen");
  });

  it("translates a rule without occurrences and one too complex to expand", () => {
    const none = { path: "rrule", message: "the rule gives no occurrence", code: "no_occurrences" };
    expect(localiseIssue(none, t("fi"))).toBe(ORGANISER_MESSAGES.fi.errNoOccurrences);
    const complex = { path: "rrule", message: "too complex", code: "too_complex" };
    expect(localiseIssue(complex, t("sv"))).toBe(ORGANISER_MESSAGES.sv.errRuleComplex);
  });

  it("falls back to the API's text", () => {
    const e = { path: "rrule", message: "FREQ=SECONDLY is not supported" };
    expect(localiseIssue(e, t("fi"))).toBe(e.message);
    expect(
      localiseIssue({ path: "categories", message: "Too big", code: "too_big", maximum: 10 }, t("fi")),
    ).toBe("Too big");
  });
});
