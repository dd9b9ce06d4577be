/**
 * The OpenAPI entries of the routes that are not JSON API: the health checks, the document
 * itself, the API docs page and the server-rendered pages. Their handlers live elsewhere
 * (public/health.ts, public/docs.ts, pages/); this keeps the document complete.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { LOCALES } from "../contract/codes.ts";
import { APP_PAGES } from "../contract/pages.ts";
import { type DocumentedSpec, documentRoute } from "./route-kit.ts";
import type { AppEnv } from "./types.ts";

const HTML = { "text/html": { schema: z.string().meta({ description: "An HTML page" }) } };
const LangQuery = z.object({ lang: z.enum(LOCALES).optional() });
const Health = z.object({ status: z.enum(["ok", "unavailable"]), db: z.enum(["ok", "timeout", "error"]) });
const Ready = z.object({
  status: z.enum(["ready", "starting", "draining", "unavailable"]),
  db: z.enum(["ok", "timeout", "error"]).optional(),
});

/** `/omat/tapahtumat/:id` → `pageOmatTapahtumatId`. */
const pageOperationId = (path: string) =>
  `page${path
    .split("/")
    .filter(Boolean)
    .map((s) => s.replace(/^:/, ""))
    .map((s) => `${s[0]?.toUpperCase()}${s.slice(1)}`)
    .join("")}`;

export function documentSiteRoutes(app: OpenAPIHono<AppEnv>, opts: { pages: boolean }) {
  documentRoute(app, "get", "/healthz", {
    operationId: "getHealth",
    summary: "Health check: 200 when the database answers within two seconds",
    tags: ["Operations"],
    responses: {
      200: { description: "Healthy", content: { "application/json": { schema: Health } } },
      503: {
        description: "The database did not answer",
        content: { "application/json": { schema: Health } },
      },
    },
  });
  documentRoute(app, "get", "/readyz", {
    operationId: "getReadiness",
    summary:
      "Readiness for load balancers: 200 once migrations ran and the process warmed up, while the database answers; 503 while starting or draining (after SIGTERM)",
    tags: ["Operations"],
    responses: {
      200: { description: "Ready to serve traffic", content: { "application/json": { schema: Ready } } },
      503: {
        description: "Starting, draining, or the database did not answer: route traffic elsewhere",
        content: { "application/json": { schema: Ready } },
      },
    },
  });
  documentRoute(app, "get", "/api/v1/openapi.json", {
    operationId: "getOpenApiDocument",
    summary: "This document (OpenAPI 3.1)",
    tags: ["Operations"],
    responses: {
      200: {
        description: "The OpenAPI document",
        content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
      },
    },
  });
  documentRoute(app, "get", "/api/docs", {
    operationId: "getApiDocsPage",
    summary: "The interactive API reference and the documentation of every problem type",
    tags: ["Operations"],
    responses: { 200: { description: "The API reference page", content: HTML } },
  });
  if (!opts.pages) return;
  const pageTags = ["Pages"];
  documentRoute(app, "get", "/tapahtumat/:id", {
    operationId: "pageEvent",
    summary: "An event's page (server-rendered, with schema.org JSON-LD in its head)",
    tags: pageTags,
    params: z.object({ id: z.string().meta({ description: "The event's id" }) }),
    query: LangQuery,
    responses: {
      200: { description: "The event page", content: HTML },
      404: { description: "No published event with this id: the not-found page", content: HTML },
    },
  });
  documentRoute(app, "get", "/saavutettavuus", {
    operationId: "pageAccessibilityStatement",
    summary: "The accessibility statement",
    tags: pageTags,
    query: LangQuery,
    responses: { 200: { description: "The page", content: HTML } },
  });
  documentRoute(app, "get", "/site.css", {
    operationId: "getSiteStylesheet",
    summary:
      "The municipality's colours as CSS custom properties (linked from its pages when it has a readable primary colour)",
    tags: pageTags,
    query: z.object({ c: z.string().optional().meta({ description: "Cache buster: the colour" }) }),
    responses: {
      200: {
        description: "The stylesheet",
        content: { "text/css": { schema: z.string().meta({ description: "CSS" }) } },
      },
    },
  });
  for (const page of APP_PAGES) {
    const hasId = page.path.includes(":id");
    const notFound: DocumentedSpec["responses"] = {
      404: { description: "Not a uuid: the not-found page", content: HTML },
    };
    documentRoute(app, "get", page.path, {
      operationId: pageOperationId(page.path),
      summary: `Page shell ${page.file} (its script loads the data from the API)`,
      tags: pageTags,
      ...(hasId ? { params: z.object({ id: z.string().meta({ description: "The event's id" }) }) } : {}),
      query: page.token ? LangQuery.extend({ token: z.string().optional() }) : LangQuery,
      responses: {
        200: { description: "The page", content: HTML },
        ...(hasId ? notFound : {}),
      },
    });
  }
}
