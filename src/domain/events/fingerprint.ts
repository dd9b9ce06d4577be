/**
 * What an event's public rendering (a feed's VEVENT, a list item) is made of, as a short
 * string that changes whenever any of it may have: the row versions (`xmin`, new on every
 * UPDATE by whatever path: the API, the CLI, an operator's SQL) of the event, its place,
 * organisation and municipality (its URL and name), and its categories' ids and row versions.
 * A rendered piece is reused while this stays the same (src/cache/fingerprint-cache.ts), so a
 * cold read need not load and render every event again (#15). A vacuum's freezing can only
 * change it: a miss, never a stale piece.
 */
import { type SQL, sql } from "drizzle-orm";

/** The fingerprint from the aliases of the event, place, organisation, municipality rows. */
export const fingerprintSql = (e: SQL, p: SQL, o: SQL, m: SQL, categoriesPrint: SQL) =>
  sql<string>`concat_ws('.', ${e}.xmin::text, coalesce(${p}.xmin::text, '-'), coalesce(${o}.xmin::text, '-'),
    ${m}.xmin::text, ${categoriesPrint})`;

/** The categories' part of the fingerprint, an aggregate over `c` (categories) rows. */
export const categoriesPrintAgg = sql`string_agg(c.id::text || ':' || c.xmin::text, ',' order by c.id)`;

/** The categories' part for one event (`eventId`: its id column), as a scalar subquery. */
export const categoriesPrintOf = (eventId: SQL) =>
  sql`(select ${categoriesPrintAgg} from event_categories ec join categories c
        on c.id = ec.category_id where ec.event_id = ${eventId})`;
