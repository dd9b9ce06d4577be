/**
 * The data versions: one per municipality (`municipality_data_versions`, migration 0010),
 * bumped by statement-level triggers in the same transaction as every change to the
 * municipality's events, occurrences, event categories, places and local categories; a
 * change to regional data (organisations, the shared categories) bumps every municipality.
 * Caches key public responses by the versions of the municipalities whose rows a response
 * may include (its "stamp"), so a write invalidates exactly the responses that may show it,
 * with no purge; an edit in one municipality leaves the others' caches warm.
 *
 * Read the versions BEFORE reading the data a response is built from: under read committed
 * the data then reflects at least these versions, so a cache entry can only ever hold data
 * newer than its key, never older. (The table is not in schema.ts: it is maintained by
 * triggers only, and drizzle-kit need not know it.)
 */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/client.ts";
import { ALL_DATA_VERSIONS_SQL, type DataVersionTracker } from "../db/data-version.ts";

// The channel and the tracker's interface live with the drivers that use them (src/db), so
// that src/db never imports src/domain; re-exported here for the app and the runtimes.
export {
  DATA_VERSION_CHANNEL,
  type DataVersionSource,
  type DataVersionTracker,
  parseVersionNotice,
} from "../db/data-version.ts";

/**
 * The stamp of a set of municipalities: "<id>:<version>" of each, in id order, joined by
 * commas. It changes whenever any member's version changes, and names its members, so two
 * different sets never share a stamp (a site's visible set may change). `versionOf` gives a
 * member's version (undefined: the member has no row; it counts as 0, below every version).
 */
export function formatStamp(ids: readonly string[], versionOf: (id: string) => string | undefined): string {
  const sorted = ids.length === 1 ? ids : [...new Set(ids)].sort();
  return sorted.map((id) => `${id}:${versionOf(id) ?? "0"}`).join(",");
}

/** The members of a stamp and their versions, or undefined when `stamp` is not one. */
export function parseStamp(stamp: string): Map<string, bigint> | undefined {
  const members = new Map<string, bigint>();
  for (const part of stamp.split(",")) {
    const at = part.lastIndexOf(":");
    const v = part.slice(at + 1);
    if (at <= 0 || !/^\d+$/.test(v)) return undefined;
    members.set(part.slice(0, at), BigInt(v));
  }
  return members;
}

/** The stamp of `ids` (municipality ids) read from the database. */
export async function getDataVersion(db: Queryable, ids: readonly string[]): Promise<string> {
  const rows = await queryRows<{ id: string; version: string }>(
    db,
    sql`select municipality_id::text as id, version::text as version from municipality_data_versions
        where municipality_id = any(${`{${ids.join(",")}}`}::uuid[])`,
  );
  const found = new Map(rows.map((r) => [r.id, String(r.version)]));
  return formatStamp(ids, (id) => found.get(id));
}

/** Every municipality's version, read from the database. */
export async function getAllDataVersions(db: Queryable): Promise<{ id: string; version: string }[]> {
  const rows = await queryRows<{ id: string; version: string }>(db, sql.raw(ALL_DATA_VERSIONS_SQL));
  return rows.map((r) => ({ id: r.id, version: String(r.version) }));
}

/** Statements that may change data (a conservative test: anything that is not a plain read). */
// A leading comment (PREPARED_MARK, src/db/client.ts) does not make a read a write.
const READ_ONLY = /^\s*(?:\/\*[^*]*\*\/\s*)?(select|with)\b/i;
const WRITES = /\b(insert|update|delete|truncate|merge|call|do)\b/i;
export const mayWrite = (query: string) => !READ_ONLY.test(query) || WRITES.test(query);

/** The tracker (its contract and correctness rules: src/db/data-version.ts). */
export function createDataVersionTracker(): DataVersionTracker {
  const latest = new Map<string, bigint>();
  const latestText = new Map<string, string>();
  // Stamps of the id lists asked for (a site's visible list is one array, asked for on every
  // request), forgotten whenever any version moves.
  let stamps = new WeakMap<readonly string[], string>();
  let trusted = false;
  let listening = false;
  // Bumped on every invalidation: a read started under an older generation may be stale.
  let generation = 0;
  let writes = 0;
  const stats = { reads: 0, memory: 0 };
  const observe = (id: string, v: string | number | bigint) => {
    const n = BigInt(v);
    const known = latest.get(id);
    if (known === undefined || n > known) {
      latest.set(id, n);
      latestText.set(id, String(n));
      stamps = new WeakMap();
    }
  };
  /** The stamp from memory, or undefined when a member is not held. */
  const fromMemory = (ids: readonly string[]): string | undefined => {
    const known = stamps.get(ids);
    if (known !== undefined) return known;
    for (const id of ids) if (!latestText.has(id)) return undefined;
    const stamp = formatStamp(ids, (id) => latestText.get(id));
    stamps.set(ids, stamp);
    return stamp;
  };
  const invalidate = () => {
    trusted = false;
    generation++;
  };
  return {
    stats,
    get writes() {
      return writes;
    },
    get listening() {
      return listening;
    },
    async get(db, ids) {
      if (trusted && listening) {
        const stamp = fromMemory(ids);
        if (stamp !== undefined) {
          stats.memory++;
          return stamp;
        }
      }
      const started = generation;
      stats.reads++;
      for (const r of await getAllDataVersions(db)) observe(r.id, r.version);
      if (started === generation && listening) trusted = true;
      return formatStamp(ids, (id) => latestText.get(id));
    },
    peek: (ids) => (trusted && listening ? fromMemory(ids) : undefined),
    observe,
    invalidate,
    setListening(on) {
      // Either way, a read made before this moment cannot be trusted.
      invalidate();
      listening = on;
    },
    noteQuery(query) {
      if (mayWrite(query)) {
        writes++;
        invalidate();
      }
    },
  };
}
