/**
 * What an event's public rendering (a feed's VEVENT, a list item) is made of, as a short
 * string that changes whenever any of it may have: the row versions (`xmin`, new on every
 * UPDATE by whatever path: the API, the CLI, an operator's SQL) of the event, its place,
 * organisation and municipality (its URL and name), the ids of its categories, and a digest of
 * the categories table's row versions (a renamed category). A rendered piece is reused while
 * this stays the same (src/cache/fingerprint-cache.ts), so a cold read need not load and render
 * every event again (#15). A vacuum's freezing can only change it: a miss, never a stale piece.
 *
 * The categories' row versions are read once per statement (an uncorrelated subquery), not per
 * event: joining each event's categories to read theirs cost a list of 50 about 0.8 of its
 * statement's 2 ms on PostgreSQL. Any category's edit then renders every event again, which is
 * rare and only costs a miss.
 */
import { type SQL, sql } from "drizzle-orm";

/** The categories table's row versions, digested: one value per statement. */
const categoriesTablePrint = sql`(select md5(coalesce(string_agg(c.id::text || ':' || c.xmin::text, ',' order by c.id), ''))
    from categories c)`;

/** The fingerprint from the aliases of the event, place, organisation, municipality rows. */
export const fingerprintSql = (e: SQL, p: SQL, o: SQL, m: SQL, categoryIds: SQL) =>
  sql<string>`concat_ws('.', ${e}.xmin::text, coalesce(${p}.xmin::text, '-'), coalesce(${o}.xmin::text, '-'),
    ${m}.xmin::text, ${categoryIds}, ${categoriesTablePrint})`;

/** The event's categories' part of the fingerprint, an aggregate over `ec` (event_categories) rows. */
export const categoriesPrintAgg = sql`string_agg(ec.category_id::text, ',' order by ec.category_id)`;

/** The same for one event (`eventId`: its id column), as a scalar subquery (index-only). */
export const categoriesPrintOf = (eventId: SQL) =>
  sql`(select ${categoriesPrintAgg} from event_categories ec where ec.event_id = ${eventId})`;
