/**
 * Drizzle's logger option that reports every statement (tests count and EXPLAIN them).
 * A module of its own so that the Workers bundle, which imports only the postgres.js
 * driver, does not pull in the PGlite factory.
 */
export function queryLogger(onQuery?: (query: string, params: unknown[]) => void) {
  return onQuery
    ? { logger: { logQuery: (query: string, params: unknown[]) => onQuery(query, params) } }
    : {};
}
