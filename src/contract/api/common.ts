/**
 * Building blocks of the API's schemas that server and browser share: texts with their
 * language, the RFC 9457 problem, ids and instants. Plain zod; OpenAPI metadata rides on
 * zod 4's `.meta()` (`id` becomes a component `$ref` in the document).
 */
import { z } from "zod";
import { EVENT_STATUSES, LOCALES } from "../codes.ts";

export const Text = z.object({ lang: z.enum(LOCALES), text: z.string() }).meta({
  id: "Text",
  description: "A text and the language it is in.",
  example: { lang: "fi", text: "Kesäjuhlat" },
});
export type Text = z.infer<typeof Text>;

export const LocalizedText = z
  .object({ fi: z.string().optional(), sv: z.string().optional(), en: z.string().optional() })
  .meta({ id: "LocalizedText", example: { fi: "Kesäjuhlat", sv: "Sommarfest" } });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const EventStatus = z.enum(EVENT_STATUSES).meta({ description: "schema.org EventStatusType" });

/** A uuid (ids of events, places, organisations, users …). */
export const Uuid = z.uuid();

/** An instant as ISO 8601 (what `Date.prototype.toISOString` gives). */
export const Instant = z.string().meta({ format: "date-time", example: "2026-06-01T09:00:00.000Z" });

export const FieldIssue = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string().optional().meta({
    description:
      "Machine-readable kind (the zod issue code: too_big, too_small, invalid_format, invalid_type, custom, …), for clients that show their own translated text",
  }),
  maximum: z.number().optional().meta({ description: "The limit exceeded (too_big)" }),
  minimum: z.number().optional().meta({ description: "The limit not reached (too_small)" }),
});

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z.array(FieldIssue).optional(),
    errors_total: z
      .number()
      .int()
      .optional()
      .meta({ description: "How many issues there were when `errors` lists only the first ones" }),
  })
  .meta({
    id: "Problem",
    description:
      "RFC 9457 problem details. Some problems carry more members: a conflict its details, an invalid workflow transition the `state` and `action`.",
    example: {
      type: "https://tapahtumat.example.fi/api/docs#problem-validation-error",
      title: "Your request has invalid fields",
      status: 400,
      detail: "limit: Too big: expected number to be <=100",
      instance: "/api/v1/events",
      request_id: "5f0c6c3e-8a49-4d5e-9a65-0c1b1f4f9a10",
      errors: [
        { path: "limit", message: "Too big: expected number to be <=100", code: "too_big", maximum: 100 },
      ],
    },
  });
export type Problem = z.infer<typeof Problem>;

/** A short acknowledgement such as `{ "status": "verified" }`. */
export const StatusMessage = z.object({ status: z.string() });
