/**
 * RFC 9457 problem details: the one place where errors become HTTP responses.
 * Every error response is `application/problem+json` with type, title, status,
 * detail, instance and the request id; validation failures add `errors` with field paths.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CACHE, cacheControl } from "../cache/policy.ts";
import {
  Conflict,
  type FieldIssue,
  Forbidden,
  InvalidTransition,
  NotFound,
  Overloaded,
  RateLimited,
  Unauthorized,
  ValidationError,
} from "../domain/errors.ts";
import type { AppEnv } from "./types.ts";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

/** Every problem type the API returns; documented at /api/docs#problem-<slug>. */
export const PROBLEM_TYPES: Record<string, { title: string; status: number; help: string }> = {
  "validation-error": {
    title: "Your request has invalid fields",
    status: 400,
    help: "`errors` lists each offending field or query parameter by its path, with a message.",
  },
  unprocessable: {
    title: "The request cannot be processed",
    status: 422,
    help: "Well-formed input that cannot be carried out.",
  },
  "malformed-json": { title: "Malformed JSON", status: 400, help: "The request body is not valid JSON." },
  "bad-request": { title: "Bad request", status: 400, help: "The request could not be understood." },
  unauthorized: {
    title: "Authentication required",
    status: 401,
    help: "Sign in, or send a valid API token.",
  },
  forbidden: { title: "Forbidden", status: 403, help: "You are signed in but not allowed to do this." },
  "not-found": { title: "Not found", status: 404, help: "No such resource, or it is not public." },
  conflict: {
    title: "Conflict",
    status: 409,
    help: "The resource changed since you read it (send the current `version`), or clashes with existing data.",
  },
  "invalid-transition": {
    title: "That action is not possible in the current state",
    status: 409,
    help: "The workflow does not allow this action from the event's current state.",
  },
  "payload-too-large": { title: "Request body too large", status: 413, help: "Send a smaller body." },
  "unsupported-media-type": {
    title: "Unsupported media type",
    status: 415,
    help: "Send JSON as application/json.",
  },
  "rate-limited": {
    title: "Too many requests",
    status: 429,
    help: "Wait for the number of seconds in Retry-After.",
  },
  "client-closed-request": {
    title: "Client closed the request",
    status: 499,
    help: "The client went away before it had sent the whole request (logged, never seen by the client).",
  },
  "internal-error": {
    title: "Internal server error",
    status: 500,
    help: "Something went wrong on our side; quote the request_id when reporting it.",
  },
  "service-unavailable": { title: "Service unavailable", status: 503, help: "Try again shortly." },
};

/**
 * How much of a request a problem may repeat: a few field issues (an unknown key is echoed
 * as its path), each clipped, and a bounded whole, so that a large invalid body cannot be
 * mirrored back (amplification, reflected content in logs and proxies).
 */
export const PROBLEM_LIMITS = { issues: 50, text: 200, detail: 1000, bytes: 16 * 1024 } as const;

/** `s` cut to at most `max` characters (ending in "…"), never splitting a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** The issues a problem lists: at most PROBLEM_LIMITS.issues, each path and message clipped. */
function boundedIssues(issues: FieldIssue[]): FieldIssue[] {
  return issues.slice(0, PROBLEM_LIMITS.issues).map((i) => ({
    ...i,
    path: clip(i.path, PROBLEM_LIMITS.text),
    message: clip(i.message, PROBLEM_LIMITS.text),
  }));
}

/** Builds a problem+json response. `slug` names the problem type, documented at /api/docs. */
export function problem(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  slug: string,
  detail?: string,
  extra: Record<string, unknown> = {},
): Response {
  const base = c.get("publicUrl") ?? "";
  const body: ProblemBody = {
    type: `${base}/api/docs#problem-${slug}`,
    title: PROBLEM_TYPES[slug]?.title ?? slug,
    status,
    ...(detail ? { detail: clip(detail, PROBLEM_LIMITS.detail) } : {}),
    instance: clip(new URL(c.req.url).pathname, PROBLEM_LIMITS.text),
    request_id: c.get("requestId"),
    ...extra,
  };
  let json = JSON.stringify(body);
  // The last guard: drop listed issues (their total stays in errors_total) until it fits.
  while (json.length > PROBLEM_LIMITS.bytes && Array.isArray(body.errors) && body.errors.length > 1) {
    body.errors_total ??= body.errors.length;
    body.errors = body.errors.slice(0, Math.ceil(body.errors.length / 2));
    json = JSON.stringify(body);
  }
  return c.body(json, status, {
    "Content-Type": "application/problem+json; charset=utf-8",
    "Cache-Control": cacheControl(CACHE.private),
  });
}

/**
 * Did the client go away (connection closed while its body was being read)? Then reading
 * failed through no fault of ours: not a server error, and nobody is left to answer.
 */
export function isClientAbort(err: unknown, c: Context<AppEnv>): boolean {
  if (c.req.raw.signal?.aborted) return true;
  // The stream's error may be wrapped (undici: TypeError "terminated" with a cause).
  let e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown } | null;
  for (let depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    if (e.name === "AbortError" || e.code === "ECONNRESET" || e.code === "ERR_STREAM_PREMATURE_CLOSE")
      return true;
    if (e.message === "aborted") return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** Maps any thrown error to a problem response; unexpected ones are logged with their stack. */
export function errorToProblem(err: unknown, c: Context<AppEnv>): Response {
  if (err instanceof ValidationError) {
    const errors = boundedIssues(err.issues);
    const more = err.issues.length - errors.length;
    const detail =
      more > 0
        ? `${errors.map((i) => `${i.path}: ${i.message}`).join("; ")} (and ${more} more)`
        : err.message;
    return problem(
      c,
      err.unprocessable ? 422 : 400,
      err.unprocessable ? "unprocessable" : "validation-error",
      detail,
      { errors, ...(more > 0 ? { errors_total: err.issues.length } : {}) },
    );
  }
  if (err instanceof NotFound) return problem(c, 404, "not-found", err.message);
  if (err instanceof InvalidTransition)
    return problem(c, 409, "invalid-transition", err.message, { state: err.from, action: err.action });
  if (err instanceof Conflict) return problem(c, 409, "conflict", err.message, err.details);
  if (err instanceof Unauthorized) return problem(c, 401, "unauthorized", err.message);
  if (err instanceof Forbidden) return problem(c, 403, "forbidden", err.message);
  if (err instanceof RateLimited) {
    c.header("Retry-After", String(err.retryAfterSeconds));
    return problem(c, 429, "rate-limited", err.message);
  }
  if (err instanceof Overloaded) {
    c.header("Retry-After", String(err.retryAfterSeconds));
    return problem(c, 503, "service-unavailable", err.message);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status === 400 && /json/i.test(err.message)) {
      return problem(c, 400, "malformed-json", "The request body is not valid JSON");
    }
    if (status === 413) return problem(c, 413, "payload-too-large", err.message || undefined);
    if (status >= 500) logUnexpected(err, c);
    return problem(c, status, status >= 500 ? "internal-error" : "bad-request", err.message || undefined);
  }
  if (isClientAbort(err, c)) {
    // nginx's 499: the access log shows it as the client's doing, at info level.
    return problem(c, 499 as ContentfulStatusCode, "client-closed-request", "The request body was cut off");
  }
  logUnexpected(err, c);
  return problem(
    c,
    500,
    "internal-error",
    `Something went wrong on our side. Quote request id ${c.get("requestId")} when reporting it.`,
  );
}

function logUnexpected(err: unknown, c: Context<AppEnv>) {
  c.get("logger")?.error("unhandled error", {
    request_id: c.get("requestId"),
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    err,
  });
}
