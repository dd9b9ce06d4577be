/**
 * Materialises an event's occurrences into the occurrences table, so that listing
 * and feeds are one indexed query. Recurring series are expanded up to a rolling
 * horizon; a scheduled job extends them as time passes.
 */
import { eq, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../../db/client.ts";
import { occurrences } from "../../db/schema.ts";
import { expandSeries, type Series } from "../recurrence/expand.ts";

/** How far ahead recurring series are materialised. */
export const HORIZON_MONTHS = 18;

export function horizonFrom(now: Date): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() + HORIZON_MONTHS);
  return d;
}

/** Replaces the stored occurrences of one event with a fresh expansion of its series. */
export async function materialiseOccurrences(
  db: Queryable,
  eventId: string,
  series: Series & { municipalityId: string },
  now: Date,
): Promise<number> {
  const rows = expandSeries(series, horizonFrom(now)).map((o) => ({
    municipalityId: series.municipalityId,
    eventId,
    startsAt: o.startsAt,
    endsAt: o.endsAt,
  }));
  await db.delete(occurrences).where(eq(occurrences.eventId, eventId));
  // Insert in chunks to stay far below the bind-parameter limit.
  for (let i = 0; i < rows.length; i += 500) {
    await db.insert(occurrences).values(rows.slice(i, i + 500));
  }
  return rows.length;
}

/**
 * The scheduled extension job: recurring series whose materialised occurrences end
 * within a month of the rolling horizon are expanded again, so "every Tuesday" never
 * runs out. Series that are complete (COUNT/UNTIL reached) are left as they are, and so are
 * series that can no longer be expanded within the limits.
 * Returns how many events got new occurrences.
 */
export async function extendRecurringOccurrences(db: Queryable, now: Date, batch = 500): Promise<number> {
  const threshold = new Date(horizonFrom(now).getTime() - 31 * 86_400_000);
  const candidates = await queryRows<{
    id: string;
    municipality_id: string;
    starts_at: Date | string;
    ends_at: Date | string;
    all_day: boolean;
    timezone: string;
    rrule: string;
    exdates: string[] | string;
    rdates: string[] | string;
    materialised: number | string;
  }>(
    db,
    sql`select e.id, e.municipality_id, e.starts_at, e.ends_at, e.all_day, e.timezone, e.rrule, e.exdates, e.rdates, x.n as materialised
        from events e
        -- The last start the rule gave: an RDATE may lie far beyond the horizon.
        cross join lateral (
          select count(*) as n,
                 max(o.starts_at) filter (where not ((o.starts_at at time zone e.timezone)::date = any(e.rdates))) as last_start
          from occurrences o where o.event_id = e.id
        ) x
        where e.rrule is not null and e.deleted_at is null
          and x.last_start >= ${now.toISOString()}::timestamptz
          and x.last_start < ${threshold.toISOString()}::timestamptz
        order by x.last_start
        limit ${batch}`,
  );
  // In municipality order: each insert bumps (and locks until commit) its municipality's data
  // version (migration 0010), and a job that locked them out of order could deadlock with a
  // statement that bumps several at once (those lock in id order).
  candidates.sort((a, b) =>
    a.municipality_id < b.municipality_id ? -1 : a.municipality_id > b.municipality_id ? 1 : 0,
  );
  let extended = 0;
  for (const c of candidates) {
    const series: Series & { municipalityId: string } = {
      municipalityId: c.municipality_id,
      startsAt: new Date(c.starts_at),
      endsAt: new Date(c.ends_at),
      allDay: c.all_day,
      timezone: c.timezone,
      rrule: c.rrule,
      exdates: pgDateArray(c.exdates),
      rdates: pgDateArray(c.rdates),
    };
    let count: number;
    try {
      count = expandSeries(series, horizonFrom(now)).length;
    } catch (err) {
      // A series past its limits (more than MAX_OCCURRENCES by now, too much work, or a rule
      // stored before rules were checked strictly) keeps the occurrences it has.
      if (err instanceof RangeError) continue;
      throw err;
    }
    if (count > Number(c.materialised)) {
      await materialiseOccurrences(db, c.id, series, now);
      extended++;
    }
    // Each expansion is bounded (a few ms); between them, let requests in.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return extended;
}

/** date[] comes back as an array from postgres.js and as "{a,b}" text from some raw paths. */
function pgDateArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v.map(String);
  return v
    .replace(/^\{|\}$/g, "")
    .split(",")
    .filter(Boolean);
}
