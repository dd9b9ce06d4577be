/** The slice of the public events API (`GET /api/v1/events`) that the front-end uses. */

import type { EventDetail as ContractEventDetail } from "../../../src/contract/api/public.ts";
import type { Lang } from "../../../src/contract/i18n/resident.ts";
import { sitePath } from "./site.ts";

/** A translated text, with the language it is actually in (may be a fallback). */
export interface LangText {
  lang: string;
  text: string;
}

export type EventStatus = "scheduled" | "cancelled" | "postponed" | "rescheduled";

export interface ApiEvent {
  event_id: string;
  title: LangText;
  short_description?: LangText | null;
  /** ISO date-time with offset, or a plain date ("2026-12-05") when all_day. */
  start: string;
  /** Same form as start; for all-day events the inclusive last day. */
  end: string | null;
  all_day: boolean;
  /** One of EventStatus; unknown future values are shown as scheduled. */
  event_status: string;
  is_free: boolean | null;
  place?: {
    id: string;
    name: LangText;
    village?: { slug: string; name: string } | null;
  } | null;
  categories?: { slug: string; name: LangText }[];
  organisation?: { id: string; name: string } | null;
  url?: string;
}

export interface EventPage {
  data: ApiEvent[];
  next: string | null;
}

/** A failed request, carrying the RFC 9457 problem details when the API sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string | null,
    readonly detail: string | null,
  ) {
    super(`API request failed with status ${status}${title ? `: ${title}` : ""}`);
    this.name = "ApiError";
  }
}

export function eventsUrl(lang: Lang, query: URLSearchParams = new URLSearchParams()): string {
  const p = new URLSearchParams(query);
  p.set("limit", "100");
  p.set("lang", lang);
  return `/api/v1/events?${p}`;
}

/**
 * Resolves the API's `next` link (a full URL or a path) against this page.
 * The page's CSP only allows same-origin requests, so an absolute link to another origin
 * (e.g. an API that does not know its public address) is followed on this origin instead.
 */
export function resolveNext(next: string, base: string = location.href): string {
  const url = new URL(next, base);
  const here = new URL(base);
  return url.origin === here.origin ? url.href : `${here.origin}${url.pathname}${url.search}`;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

export async function fetchEvents(url: string, signal?: AbortSignal): Promise<EventPage> {
  const page = await getJson<Partial<EventPage> | null>(url, signal);
  if (!page || !Array.isArray(page.data)) throw new ApiError(200, "Unexpected response", null);
  return { data: page.data, next: typeof page.next === "string" && page.next !== "" ? page.next : null };
}

/** GET /api/v1/events/{id}: every public detail of one event (the server's own type; type-only import). */
export type EventDetail = ContractEventDetail;

export interface Category {
  slug: string;
  name: LangText;
  upcoming_events: number;
}

export interface Place {
  id: string;
  slug: string;
  name: LangText;
  village: { slug: string; name: string } | null;
  upcoming_events: number;
}

/** GETs a JSON document from the API; problem details become an ApiError. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(sitePath(url), {
    headers: { Accept: "application/json, application/problem+json" },
    signal: signal ?? null,
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = (body ?? {}) as Record<string, unknown>;
    throw new ApiError(response.status, str(problem.title), str(problem.detail));
  }
  return body as T;
}
