/**
 * Full-text search over events with PostgreSQL's finnish, swedish and english
 * configurations plus a 'simple' (unstemmed) layer for names and prefix matching, so
 * that "kesäjuh" finds "Kesäjuhlat" and a place or organiser name finds its events.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../../db/client.ts";
import type { VisibleScope } from "../tenants.ts";

/**
 * Recomputes the search document of the given events (all when omitted) from their
 * texts and their place's and organisation's names. One UPDATE statement.
 */
export async function refreshSearchVectors(db: Queryable, eventIds?: string[]): Promise<void> {
  if (eventIds && eventIds.length === 0) return;
  const only = eventIds
    ? sql`and e.id in (${sql.join(
        eventIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql``;
  await db.execute(sql`
    update events e set search_vector =
        setweight(to_tsvector('finnish', coalesce(e.title->>'fi', '')), 'A')
     || setweight(to_tsvector('swedish', coalesce(e.title->>'sv', '')), 'A')
     || setweight(to_tsvector('english', coalesce(e.title->>'en', '')), 'A')
     || setweight(to_tsvector('simple', concat_ws(' ', e.title->>'fi', e.title->>'sv', e.title->>'en')), 'A')
     || setweight(to_tsvector('simple', concat_ws(' ', x.place_fi, x.place_sv, x.place_en, x.village_fi, x.village_sv, x.org_name)), 'B')
     || setweight(to_tsvector('finnish', concat_ws(' ', e.short_description->>'fi', e.description->>'fi')), 'C')
     || setweight(to_tsvector('swedish', concat_ws(' ', e.short_description->>'sv', e.description->>'sv')), 'C')
     || setweight(to_tsvector('english', concat_ws(' ', e.short_description->>'en', e.description->>'en')), 'C')
     || setweight(to_tsvector('simple', concat_ws(' ',
          e.short_description->>'fi', e.short_description->>'sv', e.short_description->>'en',
          e.description->>'fi', e.description->>'sv', e.description->>'en')), 'D')
    from (
      select e2.id,
             p.name->>'fi' as place_fi, p.name->>'sv' as place_sv, p.name->>'en' as place_en,
             p.village_name->>'fi' as village_fi, p.village_name->>'sv' as village_sv,
             o.name as org_name
      from events e2
      left join places p on p.id = e2.place_id
      left join organisations o on o.id = e2.organisation_id
    ) x
    where x.id = e.id ${only}`);
}

const MAX_TERMS = 8;

/** Splits user input into search terms: letters and digits only, at most eight. */
export function searchTerms(q: string): string[] {
  return (
    q
      .normalize("NFC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).slice(0, MAX_TERMS);
}

/**
 * A tsquery in which every term must match (AND), each term as a prefix under any of
 * the four configurations (OR). Terms are reduced to letters and digits, so no
 * tsquery syntax can be injected.
 */
export function searchQuery(terms: string[]): SQL {
  const perTerm = terms.map((t) => {
    const lexeme = `'${t}':*`;
    return sql`(to_tsquery('finnish', ${lexeme}) || to_tsquery('swedish', ${lexeme}) || to_tsquery('english', ${lexeme}) || to_tsquery('simple', ${lexeme}))`;
  });
  return sql`(${sql.join(perTerm, sql` && `)})`;
}

/**
 * `select id …`: the published events of the scope's municipalities that match `terms`.
 * Each municipality has its own partial search index (migration 0012), which the planner
 * can only pick for `municipality_id = <that one>`, so several municipalities are searched
 * one by one and the results appended (`= any(…)` would fall back to reading every row).
 */
export function matchingEventIds(scope: VisibleScope, terms: string[]): SQL {
  const query = searchQuery(terms);
  const one = (id: string) =>
    sql`select s.id from events s where s.municipality_id = ${id}::uuid and s.search_vector @@ ${query} and s.state = 'published' and s.deleted_at is null`;
  if (scope.ids.length === 1) return one(scope.ids[0] as string);
  return sql.join(
    scope.ids.map((id) => sql`(${one(id)})`),
    sql` union all `,
  );
}

/**
 * Runs a bulk load (`load`, inside the caller's transaction) with the search indexes
 * collecting new entries in their pending lists, merged in one sorted pass at the end,
 * instead of one tree insertion per event (fastupdate is off otherwise, migration 0012;
 * 100,000 events took most of an hour that way). For the seed and the region bench.
 */
export async function bulkLoadSearchIndexes(tx: Queryable, load: () => Promise<void>): Promise<void> {
  const indexes = async () =>
    (
      await queryRows<{ name: string }>(
        tx,
        sql`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'events' and indexname like 'events\\_search\\_%'`,
      )
    ).map((r) => r.name);
  for (const name of await indexes())
    await tx.execute(sql`alter index ${sql.identifier(name)} set (fastupdate = on)`);
  await tx.execute(sql`set local gin_pending_list_limit = '1GB'`);
  await load();
  // A municipality created by `load` has its index already (fastupdate off): nothing pending.
  for (const name of await indexes()) {
    await tx.execute(sql`select gin_clean_pending_list(${name}::regclass)`);
    await tx.execute(sql`alter index ${sql.identifier(name)} set (fastupdate = off)`);
  }
}
