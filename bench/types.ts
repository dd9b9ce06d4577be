/** One row of bench/results/latest.json: an endpoint at one connection count, and its baseline. */
export interface Measurement {
  db: string;
  size: number;
  /** Set when the database was a region of this many municipalities (the default one measured). */
  municipalities?: number;
  endpoint: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  baselineRps: number;
  ratio: number;
  /**
   * SQL statements per request: the server's kk_db_queries_total before and after the
   * measurement (the scrapes' own statements taken off), ÷ the requests answered. About 0 when
   * the response cache answers. Absent in runs before #15.
   */
  sqlPerRequest?: number;
}

/** Latency of one kind of request in the mixed load, in ms. */
export interface Latency {
  requests: number;
  p50: number;
  p99: number;
  /** Answers that were not 2xx (or 304). */
  failed: number;
}

/**
 * #15, the resident's view: one load of 90 % cached reads (a few list, detail, page and feed
 * URLs), 9 % uncached filters (a fresh `from` each) and 1 % writes through the API (a staff
 * account edits an event's title with its version, which invalidates the cached answers).
 */
export interface MixedMeasurement {
  db: string;
  size: number;
  municipalities?: number;
  connections: number;
  /** Every request, all kinds. */
  rps: number;
  /** Cached and uncached reads together: what a resident waits for. */
  reads: Latency;
  cachedReads: Latency;
  uncachedReads: Latency;
  writes: Latency;
  sqlPerRequest: number;
  errors: number;
}
