/**
 * Hostile inputs shared by the robustness drills (test/drills/*.drill.test.ts), and the
 * check that an error response is an RFC 9457 problem.
 */
import { expect } from "vitest";

/** Strings that have broken parsers, templates, feeds and databases elsewhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  "1; SELECT pg_sleep(5)--",
  "\\'; --",
  "%' AND 1=1 --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "]]><x>",
  "\r\nBEGIN:VEVENT\r\nUID:evil\r\nEND:VEVENT",
  "\r\nATTENDEE:mailto:x@example.com",
  "\u202Eevil\u202C txt.exe",
  "\uD800",
  "x\uDFFFy",
  "\u0000",
  "a\u0000b",
  "\uFEFF\u200B\u00AD",
  "Ääkkösiä åäö ÅÄÖ 🎉👨‍👩‍👧",
  "ＡＢＣ ﷽ 𝕏",
  "__proto__",
  "constructor",
  "prototype",
  "../../../../etc/passwd",
  "..%2f..%2fpackage.json",
  "%00",
  "%zz",
  "%E0%A4%A",
  "$" + "{7*7}{{7*7}}<%= 7*7 %>",
  "%s%n%x",
  "null",
  "undefined",
  "NaN",
  "-1",
  "0",
  "1e999",
  "99999999999999999999999999",
  "2026-02-30",
  "2026-13-01T25:61:61+99:99",
  "9999-12-31T23:59:59+14:00",
  "-000001-01-01T00:00:00Z",
  "FREQ=SECONDLY;COUNT=100000",
  "FREQ=DAILY;UNTIL=20761231",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  " ",
  "",
  "a".repeat(5000),
  "\n".repeat(200),
  "kesä*:|&!()",
  "60.4,24.8",
  "181,91,-181,-91",
  "true",
];

/** JSON values of every type, including ones a schema does not expect. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  -0.5,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  -1e308,
  5e-324,
  [],
  {},
  [null],
  JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
  "",
  ...HOSTILE_STRINGS.slice(0, 20),
];

/** A JSON text nested `depth` levels deep (objects or arrays), built without recursion. */
export function deeplyNested(depth: number, kind: "array" | "object" = "array"): string {
  return kind === "array"
    ? `${"[".repeat(depth)}1${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** The JSON write endpoints every body-limit and nesting check is run against. */
export const WRITE_PATHS = [
  "/api/v1/events",
  "/api/v1/submissions",
  "/api/v1/auth/login",
  "/api/v1/moderation/bulk",
];

/** POSTs a raw body as JSON from the site's own origin to an in-process app. */
export function postJson(
  app: { request(path: string, init: RequestInit): Response | Promise<Response> },
  path: string,
  body: BodyInit,
): Promise<Response> {
  return Promise.resolve(
    app.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "http://kalenteri.test" },
      body,
    }),
  );
}

export interface ProblemCheck {
  ok: boolean;
  why?: string;
}

/** Whether a response is a well-formed problem+json whose status matches the response. */
export async function checkProblem(res: Response): Promise<ProblemCheck> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json")) return { ok: false, why: `content-type ${type}` };
  let body: Record<string, unknown>;
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch (err) {
    return { ok: false, why: `body is not JSON: ${String(err)}` };
  }
  if (body.status !== res.status) return { ok: false, why: `body.status ${String(body.status)}` };
  if (typeof body.title !== "string" || !body.title) return { ok: false, why: "no title" };
  if (typeof body.type !== "string" || !body.type) return { ok: false, why: "no type" };
  return { ok: true };
}

export async function expectProblem(res: Response, status?: number): Promise<Record<string, unknown>> {
  if (status !== undefined) expect(res.status).toBe(status);
  const copy = res.clone();
  const check = await checkProblem(res);
  expect(check.why ?? "ok").toBe("ok");
  return (await copy.json()) as Record<string, unknown>;
}

/** Object.prototype must never gain keys from a request body. */
export function expectNoPrototypePollution(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(probe.admin).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}
