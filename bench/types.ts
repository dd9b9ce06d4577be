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
}
