/**
 * The JSON API as the account, organiser and moderation pages use it: same-origin requests
 * with the session cookie (the browser's Origin header passes the API's CSRF check), JSON
 * bodies, and RFC 9457 problems turned into a `Problem` that carries the field errors.
 */
import type { Me as ContractMe } from "../../../src/contract/api/auth.ts";
import { setSignedInHint } from "./common.ts";
import { sitePath } from "./site.ts";

/** One invalid field, as the API names it: a dotted path ("title.fi", "start") and a message. */
export interface FieldError {
  path: string;
  message: string;
  /** Machine-readable kind (zod issue code) and limit, when the API gives them. */
  code?: string;
  maximum?: number;
  minimum?: number;
}

/** A failed API call: the problem's status, title, detail and field errors. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | null,
    readonly errors: FieldError[],
    readonly body: Record<string, unknown>,
  ) {
    super(detail ?? title);
    this.name = "Problem";
  }
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * Calls the API. Resolves with the parsed JSON body (null for 204), rejects with a Problem.
 * `extraHeaders` carries e.g. a submitter's magic-link token (X-Submitter-Token).
 * A 401 also forgets the remembered sign-in, so the header menu shows "Log in" again.
 */
export async function api<T = unknown>(
  method: Method,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(sitePath(path), {
      method,
      credentials: "same-origin",
      // The token pages are served with Referrer-Policy: no-referrer, under which the Fetch
      // standard sends "Origin: null" on a POST, and the API's CSRF check refuses it; for our
      // own API the origin is always fine to send.
      referrerPolicy: "same-origin",
      headers: {
        Accept: "application/json, application/problem+json",
        ...extraHeaders,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new Problem(0, "network", null, [], {});
  }
  if (response.status === 204) return null as T;
  const parsed: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const p = (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, unknown>;
    if (response.status === 401) setSignedInHint(null);
    const errors = Array.isArray(p.errors)
      ? (p.errors as unknown[]).flatMap((e) => {
          const x = e as Partial<FieldError>;
          if (typeof x?.path !== "string" || typeof x.message !== "string") return [];
          return [
            {
              path: x.path,
              message: x.message,
              ...(typeof x.code === "string" ? { code: x.code } : {}),
              ...(typeof x.maximum === "number" ? { maximum: x.maximum } : {}),
              ...(typeof x.minimum === "number" ? { minimum: x.minimum } : {}),
            },
          ];
        })
      : [];
    throw new Problem(
      response.status,
      typeof p.title === "string" ? p.title : String(response.status),
      typeof p.detail === "string" ? p.detail : null,
      errors,
      p,
    );
  }
  return parsed as T;
}

/** The signed-in user as GET /api/v1/me describes them (the server's own type; type-only import). */
export type Me = ContractMe;

/** The signed-in user, or null (and the remembered sign-in forgotten) when there is no session. */
export async function currentUser(): Promise<Me | null> {
  try {
    const me = await api<Me>("GET", "/api/v1/me");
    setSignedInHint({
      name: me.user.display_name || me.user.email,
      moderator: me.here.moderator,
      admin: me.here.admin || me.here.region_admin || me.municipalities.some((m) => m.role === "admin"),
    });
    return me;
  } catch (err) {
    if (err instanceof Problem && err.status === 401) return null;
    throw err;
  }
}
