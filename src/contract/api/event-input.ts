/**
 * The event input organisers send (create, edit, anonymous submission) and the API answers
 * with as an event's editable content: a length limit on every field. Dates follow the public
 * API: ISO 8601 with offset, or YYYY-MM-DD for all-day events (end inclusive). The rules zod
 * cannot express alone (date order, recurrence, location) are checked by the domain
 * (src/domain/events/input.ts, toEventValues).
 */
import { z } from "zod";
import { ACCESSIBILITY_FEATURES, EVENT_LANGUAGES } from "../codes.ts";
import { isLocalDate } from "../time.ts";
import { HttpUrl } from "./http-url.ts";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2028-02-29 yes, 2027-02-29 no), years 0000–9999. */
export function isIsoDate(s: string): boolean {
  return DATE_RE.test(s) && isLocalDate(s);
}

const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `{fi, sv, en}` with each text at most `max` characters. */
export const texts = (max: number) =>
  z
    .object({
      fi: z.string().trim().max(max).optional(),
      sv: z.string().trim().max(max).optional(),
      en: z.string().trim().max(max).optional(),
    })
    .strict();

const requiredTexts = (max: number) =>
  texts(max).refine((t) => Object.values(t).some((v) => v && v.length > 0), {
    message: "give the text in at least one language (fi, sv or en)",
  });

const dateOrDateTime = z
  .string()
  .trim()
  .max(40)
  .refine(
    (s) => (s.length === 10 ? isIsoDate(s) : OFFSET_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s))),
    {
      message: "must be YYYY-MM-DD (all-day) or an ISO 8601 date-time with offset",
    },
  );

const localDateString = z.string().max(10).refine(isIsoDate, { message: "must be a date YYYY-MM-DD" });

export const NewPlace = z
  .object({
    name: requiredTexts(200),
    street_address: z.string().trim().max(200).optional(),
    postal_code: z
      .string()
      .trim()
      .regex(/^\d{5}$/, "must be five digits")
      .optional(),
    locality: z.string().trim().max(100).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .strict();
export type NewPlace = z.infer<typeof NewPlace>;

export const EventInput = z
  .object({
    title: requiredTexts(200),
    short_description: texts(160).optional(),
    description: texts(10_000).optional(),
    start: dateOrDateTime,
    end: dateOrDateTime,
    rrule: z.string().trim().max(500).nullable().optional(),
    exdates: z.array(localDateString).max(366).optional(),
    rdates: z.array(localDateString).max(366).optional(),
    place_id: z.string().uuid().nullable().optional(),
    place: NewPlace.nullable()
      .optional()
      .describe(
        "A new place, created with the event. It stays out of GET /api/v1/places, the place filter and the feeds until the event is published (approved by a moderator, or published by a trusted organisation); a rejected submission never makes it public.",
      ),
    online_url: HttpUrl.nullable().optional(),
    categories: z.array(z.string().trim().min(1).max(100)).max(10).optional(),
    audience: z
      .object({
        min_age: z.number().int().min(0).max(120).nullable().optional(),
        max_age: z.number().int().min(0).max(120).nullable().optional(),
      })
      .strict()
      .optional(),
    languages: z.array(z.enum(EVENT_LANGUAGES)).max(EVENT_LANGUAGES.length).optional(),
    is_free: z.boolean().optional(),
    price: texts(200).optional(),
    ticket_url: HttpUrl.nullable().optional(),
    registration_url: HttpUrl.nullable().optional(),
    image: z
      .object({
        url: HttpUrl,
        alt: texts(300).optional(),
        licence: z.string().trim().max(100).nullable().optional(),
        photographer: z.string().trim().max(200).nullable().optional(),
      })
      .strict()
      .nullable()
      .optional(),
    accessibility: z.array(z.enum(ACCESSIBILITY_FEATURES)).max(ACCESSIBILITY_FEATURES.length).optional(),
    links: z
      .array(z.object({ url: HttpUrl, label: texts(100).optional() }).strict())
      .max(10)
      .optional(),
  })
  .strict()
  .meta({
    id: "EventInput",
    description:
      "An event's content as an organiser sends it, and as the API gives it back for editing (the input that would recreate it)",
    example: {
      title: { fi: "Kesäkonsertti seurantalolla", sv: "Sommarkonsert i föreningshuset" },
      short_description: { fi: "Iloista musiikkia koko perheelle" },
      start: "2026-07-01T18:00:00+03:00",
      end: "2026-07-01T20:00:00+03:00",
      place_id: "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      categories: ["musiikki"],
      is_free: true,
    },
  });
export type EventInput = z.infer<typeof EventInput>;

/** The patch shape: any subset of the input fields, with the version that was read. */
export const EventPatch = EventInput.partial().extend({ version: z.number().int().min(1) });
export type EventPatch = z.infer<typeof EventPatch>;
