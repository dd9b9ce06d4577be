/**
 * A compact way to declare the JSON routes of the organiser, moderation and account
 * APIs: each route validates its body (and query) with zod, naming the offending field,
 * and is registered in the OpenAPI document with its schema. Routes marked `auth` answer an
 * anonymous caller 401 before looking at the body.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Unauthorized, ValidationError } from "../domain/errors.ts";
import type { AppEnv } from "./types.ts";
import { issuesFromZod, validationHook } from "./validation.ts";

type Method = "get" | "post" | "patch" | "delete";

export interface RouteMeta<B extends z.ZodType | undefined> {
  summary: string;
  body?: B;
  /** Documented success status (default 200). */
  status?: number;
  description?: string;
  /**
   * The route needs a credential (session, API token or magic link): an anonymous request
   * gets 401 before its body is parsed, so the validation errors of a protected route tell
   * nothing about its schema to someone who is not signed in.
   */
  auth?: true;
}

type Handler<B> = (c: Context<AppEnv>, body: B) => Promise<Response> | Response;

/** Parses a value with a schema or throws a ValidationError naming each field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ""): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error, prefix));
  return parsed.data;
}

/** Parses the query string of a request with a schema. */
export function parseQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query());
}

/** A uuid path parameter, or a 400 naming it. */
export function uuidParam(c: Context<AppEnv>, name = "id"): string {
  return parseWith(z.string().uuid(), c.req.param(name), name);
}

export function jsonRoutes(tag: string) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  function add<B extends z.ZodType | undefined = undefined>(
    method: Method,
    path: string,
    meta: RouteMeta<B>,
    handler: Handler<B extends z.ZodType ? z.infer<B> : undefined>,
  ) {
    const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
    app.openAPIRegistry.registerPath({
      method,
      path: path.replace(/:(\w+)/g, "{$1}"),
      tags: [tag],
      summary: meta.summary,
      ...(meta.description ? { description: meta.description } : {}),
      request: {
        ...(params.length
          ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) }
          : {}),
        ...(meta.body ? { body: { content: { "application/json": { schema: meta.body } } } } : {}),
      },
      responses: {
        [meta.status ?? 200]: { description: "Success" },
        default: { description: "An RFC 9457 problem (application/problem+json)" },
      },
    });
    app.on(method.toUpperCase(), path, async (c) => {
      if (meta.auth && c.get("actor").kind === "anonymous") throw new Unauthorized();
      let body: unknown;
      if (meta.body) {
        const raw = c.req.header("content-length") === "0" || !c.req.raw.body ? {} : await c.req.json();
        body = parseWith(meta.body, raw);
      }
      return handler(c, body as B extends z.ZodType ? z.infer<B> : undefined);
    });
  }

  return { app, add };
}
