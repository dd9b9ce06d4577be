/**
 * One way to declare the JSON routes of the API: `add(method, path, spec, handler)` builds a
 * `createRoute({...})` with a stable operationId, the path parameters (uuids), the query and
 * body schemas, the success response's schema, the problem responses the route can give and
 * the credentials it accepts, and registers it in the OpenAPI document; the same schemas
 * validate the request, naming the offending field. Routes marked `auth` answer an anonymous
 * caller 401 before looking at the body.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { Uuid } from "../contract/api/common.ts";
import { Unauthorized, ValidationError } from "../domain/errors.ts";
import {
  etagHeader,
  ifNoneMatch,
  notModified,
  type ProblemStatus,
  problemResponses,
  type SecurityName,
} from "./openapi.ts";
import type { AppEnv } from "./types.ts";
import { issuesFromZod, validationHook } from "./validation.ts";

export type Method = "get" | "post" | "put" | "patch" | "delete";

type ZodAny = z.ZodType;
type Infer<S> = S extends ZodAny ? z.infer<S> : undefined;
/** Declared path parameters, or the default: each `:name` as a (uuid) string. */
type Params<P> = P extends ZodAny ? z.infer<P> : Record<string, string>;

export interface RouteSpec<
  B extends ZodAny | undefined = undefined,
  Q extends ZodAny | undefined = undefined,
  P extends ZodAny | undefined = undefined,
> {
  /** Stable camelCase id of the operation (clients generate method names from it). */
  operationId: string;
  summary: string;
  description?: string;
  /** Tags in the document; default: the tag given to `jsonRoutes`. */
  tags?: string[];
  /**
   * The route needs a credential (session, API token or magic link): an anonymous request
   * gets 401 before its body is parsed, so the validation errors of a protected route tell
   * nothing about its schema to someone who is not signed in.
   */
  auth?: true;
  /**
   * The credentials the operation accepts (alternatives). Default: `["cookieAuth",
   * "bearerAuth"]` with `auth`, else none (`security: []`, a public operation).
   */
  security?: SecurityName[];
  /** The JSON request body. */
  body?: B;
  /** The query string (an object schema; `.strict()` to reject unknown parameters). */
  query?: Q;
  /** The path parameters; default: each `:name` of the path is a uuid. */
  params?: P;
  /** Success status (default 200). */
  status?: 200 | 201 | 202 | 204;
  /** The success answer's JSON schema (none for 204). */
  response?: ZodAny;
  /** What the success answer is (default "Success"). */
  responseDescription?: string;
  /** Other media types of the success answer (content negotiation), e.g. application/ld+json. */
  alternatives?: Record<string, ZodAny>;
  /** A conditional GET: the answer has an ETag, and If-None-Match gives 304. */
  conditional?: true;
  /**
   * Problem statuses beyond the ones the kit adds by itself: 400 when there is input, 401
   * with `auth`, 403, 413, 415 and 429 for writes. E.g. `[404, 409]`.
   */
  problems?: ProblemStatus[];
}

export interface RouteInput<Q, P> {
  query: Q;
  params: P;
}

type Handler<B, Q, P> = (
  c: Context<AppEnv>,
  body: B,
  input: RouteInput<Q, P>,
) => Promise<Response> | Response;

/** Parses a value with a schema or throws a ValidationError naming each field. */
export function parseWith<S extends ZodAny>(schema: S, value: unknown, prefix = ""): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error, prefix));
  return parsed.data;
}

/** Parses the query string of a request with a schema. */
export function parseQuery<S extends ZodAny>(c: Context<AppEnv>, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query());
}

/** A uuid path parameter, or a 400 naming it. */
export function uuidParam(c: Context<AppEnv>, name = "id"): string {
  return parseWith(Uuid, c.req.param(name), name);
}

/** `{ name: uuid }` for each `:name` of a Hono path (what `add` declares by default). */
export function uuidParams(path: string) {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
  if (names.length === 0) return undefined;
  return z.object(Object.fromEntries(names.map((n) => [n, Uuid])));
}

const MUTATIONS = new Set<Method>(["post", "put", "patch", "delete"]);

/** The security requirement of a spec: alternatives, or [] for a public operation. */
export function securityOf(spec: { auth?: true; security?: SecurityName[] }) {
  const names = spec.security ?? (spec.auth ? (["cookieAuth", "bearerAuth"] as SecurityName[]) : []);
  return names.map((n) => ({ [n]: [] as string[] }));
}

/** The problem statuses a route can give: the kit's defaults and the spec's own. */
export function problemsOf(
  method: Method,
  spec: RouteSpec<ZodAny | undefined, ZodAny | undefined, ZodAny | undefined>,
  hasParams: boolean,
) {
  const out: ProblemStatus[] = [...(spec.problems ?? [])];
  if (spec.body || spec.query || hasParams) out.push(400);
  if (spec.auth) out.push(401, 403);
  // A credential that is sent but unknown or expired is a 401 too (e.g. a magic link's token).
  if (spec.security?.length) out.push(401);
  if (MUTATIONS.has(method)) out.push(403, 413, 415, 429);
  return out;
}

/**
 * The `createRoute` config of a spec. Exported so that tests and other route modules build
 * the same documentation.
 */
export function routeConfig(
  method: Method,
  path: string,
  spec: RouteSpec<ZodAny | undefined, ZodAny | undefined, ZodAny | undefined>,
  tag: string,
) {
  const params = spec.params ?? uuidParams(path);
  const status = spec.status ?? 200;
  const content = {
    ...(spec.response ? { "application/json": { schema: spec.response } } : {}),
    ...Object.fromEntries(
      Object.entries(spec.alternatives ?? {}).map(([type, schema]) => [type, { schema }]),
    ),
  };
  const success = {
    description: spec.responseDescription ?? (status === 204 ? "Done (no content)" : "Success"),
    ...(status !== 204 && Object.keys(content).length > 0 ? { content } : {}),
    ...(spec.conditional ? { headers: etagHeader } : {}),
  };
  return createRoute({
    method,
    path: path.replace(/:(\w+)/g, "{$1}"),
    operationId: spec.operationId,
    tags: spec.tags ?? [tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: securityOf(spec),
    ...(spec.conditional ? { parameters: [ifNoneMatch] } : {}),
    request: {
      ...(params ? { params: params as z.ZodObject } : {}),
      ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
      ...(spec.body
        ? {
            body: {
              // An empty body is read as {}: the body is optional when {} is valid.
              required: !spec.body.safeParse({}).success,
              content: { "application/json": { schema: spec.body } },
            },
          }
        : {}),
    },
    responses: {
      [status]: success,
      ...(spec.conditional ? { 304: notModified } : {}),
      ...problemResponses(problemsOf(method, spec, Boolean(params))),
    },
  });
}

/** Answers 401 to an anonymous caller, before any input is looked at. */
const signedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("actor").kind === "anonymous") throw new Unauthorized();
  await next();
};

export function jsonRoutes(tag: string) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  function add<
    B extends ZodAny | undefined = undefined,
    Q extends ZodAny | undefined = undefined,
    P extends ZodAny | undefined = undefined,
  >(method: Method, path: string, spec: RouteSpec<B, Q, P>, handler: Handler<Infer<B>, Infer<Q>, Params<P>>) {
    const route = routeConfig(method, path, spec, tag);
    // The document gets the whole route; the request is validated by the same schemas. The body
    // is parsed here rather than by @hono/zod-openapi's validator, so that an empty body is
    // validated as {} (naming the missing fields), as the API always did.
    app.openAPIRegistry.registerPath(route);
    const { body: _body, ...request } = route.request;
    app.openapi({ ...route, request, hide: true, ...(spec.auth ? { middleware: [signedIn] } : {}) }, (async (
      c: Context<AppEnv>,
    ) => {
      let body: unknown;
      if (spec.body) {
        const raw = c.req.header("content-length") === "0" || !c.req.raw.body ? {} : await c.req.json();
        body = parseWith(spec.body, raw);
      }
      const valid = c.req as unknown as { valid(target: string): unknown };
      return handler(c, body as Infer<B>, {
        query: (spec.query ? valid.valid("query") : undefined) as Infer<Q>,
        params: (request.params ? valid.valid("param") : {}) as Params<P>,
      });
    }) as never);
  }

  return { app, add };
}

/** A non-JSON route's documentation (feeds, pages, health): its own responses and content types. */
export interface DocumentedSpec {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: SecurityName[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** The answers other than problems, e.g. `{ 200: { description, content: { "text/calendar": … } } }`. */
  responses: Record<
    number,
    { description: string; content?: Record<string, { schema: ZodAny }>; headers?: object }
  >;
  problems?: ProblemStatus[];
  conditional?: true;
}

/**
 * Documents a route that a plain handler serves (it answers something else than JSON, or
 * parses its input its own way): the same createRoute shape, registered in the document.
 */
export function documentRoute(app: OpenAPIHono<AppEnv>, method: Method, path: string, spec: DocumentedSpec) {
  const responses: Record<number, object> = { ...spec.responses };
  if (spec.conditional) {
    for (const [status, r] of Object.entries(responses)) {
      if (/^2/.test(status))
        responses[Number(status)] = {
          ...r,
          headers: { ...etagHeader, ...(r as { headers?: object }).headers },
        };
    }
    responses[304] = notModified;
  }
  app.openAPIRegistry.registerPath(
    createRoute({
      method,
      path: path.replace(/:(\w+)/g, "{$1}"),
      operationId: spec.operationId,
      tags: spec.tags,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      security: securityOf(spec),
      ...(spec.conditional ? { parameters: [ifNoneMatch] } : {}),
      request: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
      },
      responses: { ...responses, ...problemResponses(spec.problems ?? []) } as never,
    }),
  );
}
