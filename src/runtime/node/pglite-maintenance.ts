/**
 * Vacuum and analyze for PGlite. PGlite runs PostgreSQL as one backend in single-user mode,
 * where there is no autovacuum launcher: left alone, the rows that updates and deletes leave
 * behind (sessions, rate limits, re-materialised occurrences, edited events) are never
 * reclaimed, the planner's statistics never follow the data as it grows, and the visibility
 * map that index-only scans need is never set. The server therefore does what autovacuum
 * would, with PostgreSQL's default thresholds, table by table from PostgreSQL's own counters:
 *
 * - vacuum (and analyze) a table when its dead rows exceed 50 + 20 % of its live ones, or the
 *   rows inserted since its last vacuum 1,000 + 20 % (autovacuum_vacuum_threshold /
 *   _scale_factor, autovacuum_vacuum_insert_threshold / _scale_factor);
 * - analyze it when the rows changed since its last analyze exceed 50 + 10 %.
 *
 * Each statement holds PGlite's only connection while it runs (requests wait), so tables go one
 * at a time and a round does nothing when no table needs it.
 */
import type { PGlite } from "@electric-sql/pglite";

const DUE_SQL = `
  select qualified, vacuum from (
    select format('%I.%I', schemaname, relname) as qualified,
           n_dead_tup + n_mod_since_analyze as changed,
           (n_dead_tup > 50 + 0.2 * n_live_tup or n_ins_since_vacuum > 1000 + 0.2 * n_live_tup) as vacuum,
           n_mod_since_analyze > 50 + 0.1 * n_live_tup as stale
    from pg_stat_user_tables) t
  where vacuum or stale
  order by changed desc`;

export interface MaintenanceRound {
  vacuumed: string[];
  analyzed: string[];
  ms: number;
}

/** One round: the tables past their thresholds, vacuumed or analyzed one by one. */
export async function maintainPglite(client: PGlite): Promise<MaintenanceRound> {
  const started = performance.now();
  // The backend hands its counters to the statistics at most once a second: now, first.
  await client.exec("select pg_stat_force_next_flush()");
  const { rows } = await client.query<{ qualified: string; vacuum: boolean }>(DUE_SQL);
  const round: MaintenanceRound = { vacuumed: [], analyzed: [], ms: 0 };
  for (const table of rows) {
    if (table.vacuum) {
      await client.exec(`vacuum (analyze) ${table.qualified}`);
      round.vacuumed.push(table.qualified);
    } else {
      await client.exec(`analyze ${table.qualified}`);
      round.analyzed.push(table.qualified);
    }
  }
  round.ms = Math.round(performance.now() - started);
  return round;
}

/**
 * After migrations were applied at start (`pending`: how many), the whole database is vacuumed
 * and analyzed before the server answers, whatever the counters say: a migration may rewrite a
 * table (0019 rewrote every occurrence), and PGlite's statistics counters do not survive a
 * restart (found at 100,000 events: every counter was zero after one), so the rounds above
 * could miss it for good. Until then the dead rows and the cleared visibility map made every
 * index-only walk read the table too: lists of later dates answered in 0.9–7 s instead of
 * 0.1 s (#15). About 16 s at 100,000 events, once per upgrade. Returns its milliseconds, or
 * null when nothing was applied.
 */
export async function maintainAfterMigrations(client: PGlite, pending: number): Promise<number | null> {
  if (pending === 0) return null;
  const started = performance.now();
  await client.exec("vacuum (analyze)");
  return Math.round(performance.now() - started);
}

/** How often the server looks (a round that finds nothing due costs one small query). */
export const MAINTENANCE_INTERVAL_MS = 10 * 60_000;

/** Runs a round every `intervalMs` (never two at once); `stop()` ends it. */
export function schedulePgliteMaintenance(
  client: PGlite,
  report: (round: MaintenanceRound | Error) => void,
  intervalMs = MAINTENANCE_INTERVAL_MS,
): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running || client.closed) return;
    running = true;
    maintainPglite(client)
      .then(report, (err: unknown) => report(err instanceof Error ? err : new Error(String(err))))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
