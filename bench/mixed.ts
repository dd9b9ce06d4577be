/**
 * The resident's view (#15): one autocannon load that mixes, by a counter over every request,
 * 90 % cached reads (the same few list, detail, event page and feed URLs), 9 % uncached filters
 * (the list with a fresh `from` each) and 1 % writes through the real API: the demo admin (staff
 * who may edit any event; a moderator owns none) PATCHes the title of an event of a trusted
 * organisation with the version it read. Each write bumps the data version, so after it every
 * cached URL misses once — that is the point.
 *
 * Latency is kept per kind (the kind of a connection's request is in its autocannon context,
 * read back when its response arrives: one request at a time per connection).
 */
import autocannon from "autocannon";
import type { Latency } from "./types.ts";

/**
 * A `from` no request of this run has used before (one second apart, before the data begins,
 * so every one lists the same rows): an uncached request must not meet an earlier one's
 * cached answer. Shared by every measurement of the run (bench/run.ts too).
 */
let fromSeq = 0;
export function uniqueFrom(): string {
  return new Date(Date.parse("2026-01-01T00:00:00Z") + 1000 * fromSeq++).toISOString();
}

/**
 * A `from` that steps a day and a second at a time through the seeded half year from `start`
 * (YYYY-MM-DD), so that consecutive pages hold mostly other events (at 10,000 events a page of
 * 50 is about a day): what a new filter meets when the events' rendered items are not at hand
 * (src/http/public/list-items.ts). `uniqueFrom` lists the same events every time.
 */
let spreadSeq = 0;
export function spreadFrom(start: string): string {
  const step = spreadSeq++ * 86_401_000;
  return new Date(Date.parse(`${start}T00:00:00Z`) + (step % (180 * 86_400_000))).toISOString();
}

type Kind = "cached" | "uncached" | "write";

interface Target {
  id: string;
  version: number;
  title: Record<string, string>;
}

export interface MixedResult {
  rps: number;
  total: number;
  errors: number;
  reads: Latency;
  cachedReads: Latency;
  uncachedReads: Latency;
  writes: Latency;
}

const DEMO_ADMIN = "admin@example.fi";

/** Logs the demo admin in; returns the session cookie. */
async function login(base: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: DEMO_ADMIN, password }),
  });
  if (res.status !== 200) throw new Error(`login ${DEMO_ADMIN}: ${res.status} ${await res.text()}`);
  const cookie = /kk_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (!cookie) throw new Error("login: no session cookie");
  return cookie;
}

/** Published events of trusted organisations (edited in place, no pending revision), with their versions. */
async function writeTargets(base: string, cookie: string, ids: string[], want: number): Promise<Target[]> {
  const out: Target[] = [];
  for (const id of ids) {
    if (out.length >= want) break;
    const res = await fetch(`${base}/api/v1/moderation/events/${id}`, { headers: { cookie } });
    if (!res.ok) continue;
    const e = (await res.json()) as {
      version: number;
      state: string;
      organisation: { trusted: boolean } | null;
      event: { title: Record<string, string> };
    };
    // A title edited by an earlier run (--reuse) loses its old mark.
    const title = { ...e.event.title, fi: (e.event.title.fi ?? "").replace(/ · muokattu \d+$/, "") };
    if (e.state === "published" && e.organisation?.trusted) out.push({ id, version: e.version, title });
  }
  if (out.length === 0) throw new Error("no published event of a trusted organisation to edit");
  return out;
}

function latency(times: number[], failed: number): Latency {
  const sorted = Float64Array.from(times).sort();
  const at = (q: number) =>
    sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
  return {
    requests: sorted.length,
    p50: Math.round(at(0.5) * 10) / 10,
    p99: Math.round(at(0.99) * 10) / 10,
    failed,
  };
}

export async function mixedLoad(opts: {
  base: string;
  connections: number;
  duration: number;
  demoPassword: string;
}): Promise<MixedResult> {
  const { base } = opts;
  const list = (await (await fetch(`${base}/api/v1/events?limit=50`)).json()) as {
    data: { event_id: string }[];
  };
  const ids = [...new Set(list.data.map((e) => e.event_id))];
  const first = ids[0];
  if (!first) throw new Error("no events to read");
  const cookie = await login(base, opts.demoPassword);
  // Free targets; a write takes one and puts it back with its new version when answered.
  const free = await writeTargets(base, cookie, ids, 8);
  const reads: { path: string; accept?: string }[] = [
    { path: "/api/v1/events?limit=50" },
    { path: `/api/v1/events/${first}` },
    { path: `/tapahtumat/${first}`, accept: "text/html" },
    { path: "/feeds/events.rss" },
    { path: "/api/v1/events?limit=20&q=konsertti" },
  ];
  const times: Record<Kind, number[]> = { cached: [], uncached: [], write: [] };
  const failed: Record<Kind, number> = { cached: 0, uncached: 0, write: 0 };
  let n = 0;
  let edits = 0;

  interface Context {
    kind?: Kind;
    target?: Target;
  }
  type Req = { method?: string; path: string; headers?: Record<string, string>; body?: string };

  const setupRequest = (req: Req, context: Context): Req => {
    const i = n++;
    const slot = i % 100;
    const target = slot === 99 ? free.pop() : undefined;
    if (target) {
      // 1 %: a staff edit of a title, with the version read (or answered by the last edit).
      edits++;
      context.kind = "write";
      context.target = target;
      const title = { ...target.title, fi: `${(target.title.fi ?? "").slice(0, 180)} · muokattu ${edits}` };
      return {
        ...req,
        method: "PATCH",
        path: `/api/v1/events/${target.id}`,
        headers: { cookie, origin: base, "content-type": "application/json" },
        body: JSON.stringify({ version: target.version, title }),
      };
    }
    if (slot >= 90 && slot < 99) {
      // 9 %: a filter no cache has seen (the list from a new instant).
      context.kind = "uncached";
      return {
        ...req,
        method: "GET",
        path: `/api/v1/events?limit=50&from=${uniqueFrom()}`,
        headers: {},
      };
    }
    context.kind = "cached";
    const r = reads[i % reads.length] as (typeof reads)[number];
    return { ...req, method: "GET", path: r.path, headers: r.accept ? { accept: r.accept } : {} };
  };

  const onResponse = (_status: number, body: string, context: Context) => {
    const target = context.target;
    if (!target) return;
    // The new version, or the current one from a 409 problem: the target is free again.
    try {
      const answer = JSON.parse(body) as { version?: number; current_version?: number };
      target.version = answer.version ?? answer.current_version ?? target.version;
    } catch {
      // keep the version
    }
    context.target = undefined;
    free.push(target);
  };

  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: opts.connections,
        duration: opts.duration,
        pipelining: 1,
        requests: [{ setupRequest, onResponse }] as never,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    // The response event carries the client; its request iterator's context is still that of
    // the request just answered (the next one is set up after this event).
    instance.on("response", (client: unknown, status: number, _bytes: number, ms: number) => {
      const kind = (client as { requestIterator?: { context?: Context } }).requestIterator?.context?.kind;
      if (!kind) return;
      times[kind].push(ms);
      if (status >= 400) failed[kind]++;
    });
  });
  return {
    rps: Math.round(r.requests.average),
    total: r.requests.total,
    errors: r.errors + r.timeouts,
    reads: latency([...times.cached, ...times.uncached], failed.cached + failed.uncached),
    cachedReads: latency(times.cached, failed.cached),
    uncachedReads: latency(times.uncached, failed.uncached),
    writes: latency(times.write, failed.write),
  };
}
