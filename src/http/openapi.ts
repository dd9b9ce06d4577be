/**
 * The OpenAPI document's shared parts: the security schemes (and the names routes use for
 * them), problem responses, and the generation of the document itself, which writes
 * nullable references the OpenAPI 3.1 way.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Problem } from "../contract/api/common.ts";
import { SESSION_COOKIE } from "./auth-context.ts";
import type { AppEnv } from "./types.ts";

/** The credentials an operation may accept, as named in `components.securitySchemes`. */
export type SecurityName = "cookieAuth" | "bearerAuth" | "submitterToken";

export const SECURITY_SCHEMES = {
  cookieAuth: {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description:
      "The session cookie set by POST /api/v1/auth/login. Mutations with it must come from this site (Origin checked).",
  },
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    description:
      "An organisation's API token (created under /organisations/{id}/tokens): `Authorization: Bearer <token>`.",
  },
  submitterToken: {
    type: "apiKey",
    in: "header",
    name: "X-Submitter-Token",
    description: "The magic-link token emailed to a submitter without an account.",
  },
} as const;

/** Statuses a route may answer with a problem; each is documented with the Problem schema. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 503;

const PROBLEM_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: "Invalid input: the problem's `errors` name each field or parameter",
  401: "No valid credential",
  403: "The credential does not allow this (or a cross-site request)",
  404: "No such resource (or not visible to the caller)",
  409: "Conflict: a stale `version`, a duplicate, or an action the current state does not allow",
  412: "Precondition failed",
  413: "The request body is too large",
  415: "The request body is not application/json",
  422: "Well-formed but not acceptable",
  429: "Too many requests; see Retry-After",
  503: "Overloaded (password hashing queue full) or the database is unavailable; see Retry-After",
};

/** A problem response (application/problem+json with the Problem schema). */
export const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

/** The problem responses for a list of statuses, with their standard descriptions. */
export function problemResponses(statuses: Iterable<ProblemStatus>) {
  return Object.fromEntries(
    [...new Set(statuses)].sort().map((s) => [s, problemResponse(PROBLEM_DESCRIPTIONS[s])]),
  );
}

/** The ETag header of a conditional GET's answer. */
export const etagHeader = {
  ETag: {
    description: "Entity tag of the response; send it back as If-None-Match",
    schema: { type: "string" },
  },
} as const;

export const notModified = {
  description: "Not modified (If-None-Match matched the ETag)",
  headers: etagHeader,
} as const;

/** The conditional-GET request header, documented on routes that answer 304. */
export const ifNoneMatch = {
  name: "If-None-Match",
  in: "header",
  required: false,
  description: "An ETag from an earlier answer; a match gives 304 without a body",
  schema: { type: "string" },
} as const;

type Json = unknown;

/**
 * OpenAPI 3.1 nullables for references. zod-to-openapi writes `Text.nullable()` as
 * `allOf: [{$ref: Text}, {type: ["object","null"]}]`, which no null satisfies (the `$ref`
 * still requires an object). Rewritten here, once for every schema, to
 * `anyOf: [{$ref: Text}, {type: "null"}]`, keeping any description beside it.
 */
export function nullableRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(nullableRefs);
  if (node === null || typeof node !== "object") return node;
  const obj = node as Record<string, Json>;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = nullableRefs(v);
  const allOf = out.allOf;
  if (Array.isArray(allOf) && allOf.length === 2) {
    const [ref, extra] = allOf as [Record<string, Json>, Record<string, Json>];
    const type = extra?.type;
    if (typeof ref?.$ref === "string" && Array.isArray(type) && type.includes("null")) {
      const { type: _t, ...meta } = extra;
      const { allOf: _a, ...rest } = out;
      return { ...rest, ...meta, anyOf: [ref, { type: "null" }] };
    }
  }
  // The generator's own form for some nullable refs: oneOf [ref, null] is fine, but keep one style.
  const oneOf = out.oneOf;
  if (
    Array.isArray(oneOf) &&
    oneOf.length === 2 &&
    typeof (oneOf[0] as Record<string, Json>)?.$ref === "string" &&
    (oneOf[1] as Record<string, Json>)?.type === "null" &&
    Object.keys(oneOf[1] as object).length === 1
  ) {
    const { oneOf: _o, ...rest } = out;
    return { ...rest, anyOf: oneOf };
  }
  return out;
}

export const DOCUMENT_INFO = {
  title: "Kuntakalenteri API",
  version: "1.0.0",
  description:
    "Open event data of the municipality. Public event data is licensed CC BY 4.0; images carry their own licence.",
  license: { name: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/" },
};

/** The whole OpenAPI 3.1 document of an app: its routes, the security schemes, nullables fixed. */
export function openApiDocument(app: OpenAPIHono<AppEnv>, publicUrl: string) {
  const doc = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: DOCUMENT_INFO,
    servers: [{ url: publicUrl }],
  });
  doc.components = {
    ...doc.components,
    securitySchemes: SECURITY_SCHEMES as unknown as NonNullable<typeof doc.components>["securitySchemes"],
  };
  return nullableRefs(doc) as typeof doc;
}
