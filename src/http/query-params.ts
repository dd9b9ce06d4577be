/**
 * Shared zod building blocks for query strings: repeated or comma-separated lists,
 * booleans, dates that mean local days, coordinates.
 */
import { z } from "@hono/zod-openapi";
import { isIsoDate } from "../domain/time.ts";
import { hasUnstorableText } from "./middleware.ts";

/** Accepts `a`, `a,b` and repeated `x=a&x=b`; yields a de-duplicated string list. */
export const multi = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(","))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1, "must not be empty").max(50, "at most 50 values"))
    .transform((v) => [...new Set(v)] as z.infer<T>[]);

/** A slug or id used as a filter: it reaches SQL, so NUL and invalid Unicode are a 400, not a 500. */
export const referenceParam = z
  .string()
  .max(100)
  .refine((s) => !hasUnstorableText(s), { message: "contains NUL or invalid Unicode" });

export const booleanParam = z.enum(["true", "false"]).transform((v) => v === "true");

const DATE_OR_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const dateParam = z
  .string()
  .regex(
    DATE_OR_DATETIME,
    "must be a date (YYYY-MM-DD) or a date-time with offset (2026-06-14T12:00:00+03:00)",
  )
  .refine(
    (v) => (v.length === 10 ? isIsoDate(v) : isIsoDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v))),
    {
      message: "is not a real date",
    },
  );

export const dateTimeParam = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    "must be a date-time with offset, e.g. 2026-06-14T12:00:00Z",
  )
  .refine((v) => isIsoDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v)), {
    message: "is not a real date-time",
  })
  .transform((v) => new Date(v));

const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

export const bboxParam = z.string().transform((v, ctx) => {
  const parts = v.split(",").map(num);
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
  const bad = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    return bad("must be four numbers: minLon,minLat,maxLon,maxLat");
  }
  if ([minLon, maxLon].some((x) => x < -180 || x > 180))
    return bad("longitudes must be between -180 and 180");
  if ([minLat, maxLat].some((x) => x < -90 || x > 90)) return bad("latitudes must be between -90 and 90");
  if (minLon > maxLon || minLat > maxLat) return bad("min must not be greater than max");
  return [minLon, minLat, maxLon, maxLat] as [number, number, number, number];
});

export const nearParam = z.string().transform((v, ctx) => {
  const parts = v.split(",").map(num);
  const [lat, lon] = parts as [number, number];
  if (
    parts.length !== 2 ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lon) ||
    Math.abs(lat) > 90 ||
    Math.abs(lon) > 180
  ) {
    ctx.addIssue({ code: "custom", message: "must be lat,lon with -90 ≤ lat ≤ 90 and -180 ≤ lon ≤ 180" });
    return z.NEVER;
  }
  return { lat, lon };
});
