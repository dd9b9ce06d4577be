/**
 * The in-memory LRU behind the Node response and feed caches: bounded by a byte budget,
 * and aware of the data versions (src/domain/data-version.ts). An entry records the version
 * stamp it was built from: the versions of the municipalities whose rows it may include. Once
 * an entry is stored with a newer version of a municipality, every entry built from an older
 * version of that municipality can never be served again, so it is dropped at once, instead
 * of letting such entries fill the budget until the LRU evicts them. Entries of the other
 * municipalities stay. Under steady writes this keeps memory at the size of what is current,
 * not at the budget.
 */
import { parseStamp } from "../domain/data-version.ts";

export interface LruStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

export interface ByteLru<V> {
  readonly stats: LruStats;
  /** The value, unless missing or refused by `accept` (e.g. expired): then a miss. */
  get(key: string, accept?: (value: V) => boolean): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
}

export function createByteLru<V>(opts: {
  maxBytes: number;
  /** Largest single entry, as a share of the budget (default 1: the whole budget). */
  maxEntryShare?: number;
  sizeOf: (value: V) => number;
  /** The version stamp the value was built from (formatStamp), if known. */
  versionOf: (value: V) => string | undefined;
}): ByteLru<V> {
  const entries = new Map<string, V>();
  // The members and versions of the entries that have a stamp.
  const stamps = new Map<string, Map<string, bigint>>();
  const stats: LruStats = { hits: 0, misses: 0, entries: 0, bytes: 0 };
  // The newest version seen of each municipality.
  const newest = new Map<string, bigint>();
  const stampOf = (value: V): Map<string, bigint> | undefined => {
    const v = opts.versionOf(value);
    return v === undefined ? undefined : parseStamp(v);
  };
  const remove = (key: string) => {
    const old = entries.get(key);
    if (old === undefined) return;
    entries.delete(key);
    stamps.delete(key);
    stats.bytes -= opts.sizeOf(old);
    stats.entries = entries.size;
  };
  const outdated = (stamp: Map<string, bigint>) => {
    for (const [id, v] of stamp) {
      const n = newest.get(id);
      if (n !== undefined && v < n) return true;
    }
    return false;
  };
  return {
    stats,
    get(key, accept) {
      const hit = entries.get(key);
      if (hit === undefined || (accept && !accept(hit))) {
        stats.misses++;
        return undefined;
      }
      // Re-insert to mark it as the most recently used.
      entries.delete(key);
      entries.set(key, hit);
      stats.hits++;
      return hit;
    },
    set(key, value) {
      remove(key);
      const stamp = stampOf(value);
      if (stamp) {
        if (outdated(stamp)) return; // built from data already replaced
        let moved = false;
        for (const [id, v] of stamp) {
          const n = newest.get(id);
          if (n === undefined || v > n) {
            newest.set(id, v);
            if (n !== undefined) moved = true;
          }
        }
        if (moved) for (const [k, s] of stamps) if (outdated(s)) remove(k);
      }
      const size = opts.sizeOf(value);
      if (size > opts.maxBytes * (opts.maxEntryShare ?? 1)) return;
      while (stats.bytes + size > opts.maxBytes) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
      entries.set(key, value);
      if (stamp) stamps.set(key, stamp);
      stats.bytes += size;
      stats.entries = entries.size;
    },
    delete: remove,
  };
}
