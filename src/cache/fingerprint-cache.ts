/**
 * Rendered pieces of single events (a feed's VEVENT, a list item's JSON), each kept with the
 * fingerprint of the rows it was made from (src/domain/events/fingerprint.ts) and used only
 * while the fingerprint is the same: an edit, a renamed place or category, a moved occurrence
 * all make it a miss, never a stale piece. A query that reads one short fingerprint per event
 * then needs to load and render only the events it has not seen (#15). Bounded by the
 * characters held; least recently used first out. One per process (per isolate on Workers).
 */
export interface FingerprintCache {
  get(key: string, fingerprint: string): string | undefined;
  set(key: string, fingerprint: string, value: string): void;
  readonly stats: { hits: number; misses: number; entries: number; chars: number };
}

export function createFingerprintCache(maxChars: number): FingerprintCache {
  const entries = new Map<string, { fingerprint: string; value: string }>();
  const stats = { hits: 0, misses: 0, entries: 0, chars: 0 };
  const sizeOf = (key: string, fingerprint: string, value: string) =>
    key.length + fingerprint.length + value.length;
  const remove = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    entries.delete(key);
    stats.chars -= sizeOf(key, old.fingerprint, old.value);
    stats.entries = entries.size;
  };
  return {
    stats,
    get(key, fingerprint) {
      const hit = entries.get(key);
      if (!hit || hit.fingerprint !== fingerprint) {
        stats.misses++;
        return undefined;
      }
      entries.delete(key);
      entries.set(key, hit);
      stats.hits++;
      return hit.value;
    },
    set(key, fingerprint, value) {
      remove(key);
      const size = sizeOf(key, fingerprint, value);
      if (size > maxChars / 4) return;
      while (stats.chars + size > maxChars) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
      entries.set(key, { fingerprint, value });
      stats.chars += size;
      stats.entries = entries.size;
    },
  };
}
