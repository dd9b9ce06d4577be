/**
 * Cross-cutting HTTP middleware: structured access logs, security headers with a
 * strict Content-Security-Policy, and JSON body handling for /api mutations.
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { hasUnstorableText } from "../contract/api/storable-text.ts";
import { type FieldIssue, ValidationError } from "../domain/errors.ts";
import { problem } from "./problem.ts";
import type { AppEnv } from "./types.ts";

/** One JSON log line per request: request id, method, path, status and duration. */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const fields = {
      request_id: c.get("requestId"),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    };
    const logger = c.get("logger");
    if (status >= 500) logger.error("request", fields);
    else logger.info("request", fields);
  };
}

/**
 * Strict CSP: no inline scripts or styles anywhere; the front-end ships only files
 * from its own origin. Images may come from https sources (event images).
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "https:", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
};

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const headers = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    crossOriginResourcePolicy: "cross-origin",
    crossOriginEmbedderPolicy: false,
    referrerPolicy: "strict-origin-when-cross-origin",
    strictTransportSecurity: "max-age=31536000; includeSubDomains",
    xFrameOptions: "SAMEORIGIN",
    permissionsPolicy: { camera: [], microphone: [], geolocation: ["self"] },
  });
  // A route may ask for a stricter Referrer-Policy (pages whose URL carries a token).
  return async (c, next) => {
    await headers(c, next);
    const strict = c.get("referrerPolicy");
    if (strict) c.res.headers.set("Referrer-Policy", strict);
  };
}

/**
 * The public read API is open data: any site may call it from the browser. Hono's `cors()`
 * sets its headers before the route runs, which makes the context create a response early;
 * the route's own response is then copied into a new one through a Web stream (on Node a
 * copy of the whole body, #15). So the headers are set on the route's response, after it:
 * a preflight (OPTIONS) is answered by `cors()` as it is.
 */
export function openCors(): MiddlewareHandler<AppEnv> {
  const headers = cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], maxAge: 86400 });
  const done = async () => {};
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return headers(c, next);
    await next();
    await headers(c, done);
  };
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * For API mutations with a body: the body must be JSON, and malformed JSON is a 400
 * problem before any route runs. The parsed body is cached by Hono, so validators
 * downstream do not parse it twice.
 */
export function jsonBodies(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!MUTATING.has(c.req.method)) return next();
    if (c.req.raw.body === null || c.req.header("content-length") === "0") return next();
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
      // A request without Content-Length and Transfer-Encoding has no body, but Node's server
      // still hands it over with an (empty) body stream: e.g. fetch("…", { method: "DELETE" }).
      const framed =
        c.req.header("content-length") !== undefined || c.req.header("transfer-encoding") !== undefined;
      if (!framed && !type && (await c.req.text()) === "") return next();
      return problem(c, 415, "unsupported-media-type", "Send the request body as application/json");
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (err) {
      if (err instanceof SyntaxError) {
        return problem(c, 400, "malformed-json", `The request body is not valid JSON: ${err.message}`);
      }
      throw err;
    }
    const issues = unstorableText(body);
    if (issues.length > 0) throw new ValidationError(issues);
    return next();
  };
}

/** How deep a request body may nest; event input needs 3 levels. */
export const MAX_JSON_DEPTH = 32;
export { hasUnstorableText };

/**
 * Issues for strings (and keys) a database cannot store as text or jsonb, and for
 * nesting beyond MAX_JSON_DEPTH; walks iteratively, so any depth is safe.
 */

export function unstorableText(value: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: "", depth: 0 }];
  while (stack.length > 0 && issues.length < 20) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (typeof v === "string") {
      if (hasUnstorableText(v)) {
        issues.push({
          path: path || "(root)",
          message: "contains NUL or invalid Unicode (an unpaired surrogate)",
        });
      }
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) {
      issues.push({ path: path || "(root)", message: `is nested more than ${MAX_JSON_DEPTH} levels deep` });
      break;
    }
    for (const [key, child] of Object.entries(v)) {
      const childPath = path ? `${path}.${key}` : key;
      if (hasUnstorableText(key)) {
        issues.push({ path: path || "(root)", message: "has a key with NUL or invalid Unicode" });
        continue;
      }
      stack.push({ v: child, path: childPath, depth: depth + 1 });
    }
  }
  return issues;
}

const REQUEST_ID_RE = /^[\w.:-]{1,100}$/;

/** The request's id: a well-formed incoming X-Request-Id (from a proxy), or a new one. */
export function requestIdFor(incoming: string | undefined): string {
  return incoming && REQUEST_ID_RE.test(incoming) ? incoming : crypto.randomUUID();
}
