/**
 * The in-memory LRU behind the Node response and feed caches: bounded by a byte budget,
 * and aware of the global data version (src/domain/data-version.ts). An entry built from
 * an older version can never be served again once a newer one exists, so the first entry
 * stored under a newer version drops every older entry at once, instead of letting them
 * fill the budget until the LRU evicts them. Under steady writes this keeps memory at the
 * size of what is current, not at the budget.
 */

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
  /** The data version the value was built from (a decimal bigint), if known. */
  versionOf: (value: V) => string | undefined;
}): ByteLru<V> {
  const entries = new Map<string, V>();
  const stats: LruStats = { hits: 0, misses: 0, entries: 0, bytes: 0 };
  let newest: bigint | null = null;
  const version = (value: V): bigint | null => {
    const v = opts.versionOf(value);
    return v !== undefined && /^\d+$/.test(v) ? BigInt(v) : null;
  };
  const remove = (key: string) => {
    const old = entries.get(key);
    if (old === undefined) return;
    entries.delete(key);
    stats.bytes -= opts.sizeOf(old);
    stats.entries = entries.size;
  };
  const dropOlderThan = (v: bigint) => {
    for (const [key, value] of entries) {
      const ev = version(value);
      if (ev !== null && ev < v) remove(key);
    }
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
      const v = version(value);
      if (v !== null && newest !== null && v < newest) return; // built from data already replaced
      if (v !== null && (newest === null || v > newest)) {
        newest = v;
        dropOlderThan(v);
      }
      const size = opts.sizeOf(value);
      if (size > opts.maxBytes * (opts.maxEntryShare ?? 1)) return;
      while (stats.bytes + size > opts.maxBytes) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
      entries.set(key, value);
      stats.bytes += size;
      stats.entries = entries.size;
    },
    delete: remove,
  };
}
