/** OpenAPI schemas shared by the public route modules. */
import { z } from "@hono/zod-openapi";
import { EVENT_STATUSES, LOCALES } from "../contract/codes.ts";

export const Text = z.object({ lang: z.enum(LOCALES), text: z.string() }).openapi("Text", {
  description: "A text and the language it is in.",
  example: { lang: "fi", text: "Kesäjuhlat" },
});

export const LocalizedText = z
  .object({ fi: z.string().optional(), sv: z.string().optional(), en: z.string().optional() })
  .openapi("LocalizedText", { example: { fi: "Kesäjuhlat", sv: "Sommarfest" } });

export const EventStatus = z.enum(EVENT_STATUSES).openapi({ description: "schema.org EventStatusType" });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          code: z.string().optional().openapi({
            description:
              "Machine-readable kind (the zod issue code: too_big, too_small, invalid_format, invalid_type, custom, …), for clients that show their own translated text",
          }),
          maximum: z.number().optional().openapi({ description: "The limit exceeded (too_big)" }),
          minimum: z.number().optional().openapi({ description: "The limit not reached (too_small)" }),
        }),
      )
      .optional(),
  })
  .openapi("Problem", {
    description: "RFC 9457 problem details",
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

export const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

export const notModified = { description: "Not modified (If-None-Match matched the ETag)" };
