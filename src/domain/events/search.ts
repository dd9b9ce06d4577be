/**
 * Full-text search over events with PostgreSQL's finnish, swedish and english
 * configurations plus a 'simple' (unstemmed) layer for names and prefix matching, so
 * that "kesäjuh" finds "Kesäjuhlat" and a place or organiser name finds its events.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows, uuidLiteral } from "../../db/client.ts";
import { scopeArray, type VisibleScope } from "../tenants.ts";

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

/** The text search configurations a term is looked up in, each word stemmed as that language does. */
const CONFIGS = ["finnish", "swedish", "english", "simple"] as const;

/**
 * A tsquery in which every term must match (AND), each term as a prefix under any of
 * the four configurations (OR). Terms are reduced to letters and digits, so no
 * tsquery syntax can be injected. The definition; `searchQuery` is what runs.
 */
export function searchQueryOfConfigs(terms: string[]): SQL {
  const perTerm = terms.map((t) => {
    const lexeme = `'${t}':*`;
    return sql`(${sql.join(
      CONFIGS.map((c) => sql`to_tsquery(${sql.raw(`'${c}'`)}, ${lexeme})`),
      sql` || `,
    )})`;
  });
  return sql`(${sql.join(perTerm, sql` && `)})`;
}

/**
 * The same query with each term's prefixes made distinct: the four configurations mostly stem
 * a word alike ("konsertti": 'konsert':* in Finnish, 'konsertti':* in the other three), and a
 * prefix another one starts with adds no match ('konsertti':* within 'konsert':*). The search
 * index read the same posting lists once per copy: at 100,000 events "konsertti"'s four
 * prefixes took 6.8 ms of the index scan, its one 3.6 ms (#15). Each
 * configuration's lexemes of the term are its `to_tsvector`, which stems as `to_tsquery` does;
 * a term some configuration splits into several words keeps the query of the definition.
 */
export function searchQuery(terms: string[]): SQL {
  const perTerm = terms.map((t) => {
    const lexemes = sql.join(
      CONFIGS.map((c) => sql`(tsvector_to_array(to_tsvector(${sql.raw(`'${c}'`)}, ${t})))`),
      sql`, `,
    );
    return sql`(with v(a) as (values ${lexemes}),
        l as (select distinct x from v, unnest(v.a) as x)
      select case when (select max(cardinality(v.a)) from v) <= 1
        then to_tsquery('simple', (select string_agg(l.x || ':*', ' | ') from l
          where not exists (select from l s where s.x <> l.x and starts_with(l.x, s.x))))
        else ${searchQueryOfConfigs([t])} end)`;
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
  // An InitPlan: no plan looks at the words' value, so the generic plan costs what a custom
  // one does and a prepared statement keeps it; the index condition still takes it at run time.
  const query = sql`(select ${searchQuery(terms)})`;
  const one = (id: string) =>
    sql`select s.id from events s where s.municipality_id = ${uuidLiteral(id)} and s.search_vector @@ ${query} and s.state = 'published' and s.deleted_at is null`;
  if (scope.ids.length === 1) return one(scope.ids[0] as string);
  return sql.join(
    scope.ids.map((id) => sql`(${one(id)})`),
    sql` union all `,
  );
}

/**
 * The scope's events as ANALYZE last counted them: the table's rows times the scope's share of
 * `municipality_id` (its most common values), so a municipality in a region of 20 decides as
 * it would alone. The seed runs ANALYZE; autovacuum (PostgreSQL) and the maintenance task
 * (PGlite) keep it current. 'Infinity' before the table was ever analysed.
 */
export function scopeEventsEstimate(scope: VisibleScope): SQL {
  const share = sql`(select sum(mcv.f) from pg_stats s
      cross join lateral unnest(s.most_common_vals::text::uuid[], s.most_common_freqs) as mcv(v, f)
      where s.schemaname = current_schema() and s.tablename = 'events' and s.attname = 'municipality_id'
        and mcv.v = any(${scopeArray(scope)}))`;
  return sql`(select case when c.reltuples < 0 then 'Infinity'::float8 else c.reltuples * coalesce(${share}, 1) end
      from pg_class c where c.oid = 'events'::regclass)`;
}

/** What ANALYZE's statistics say of a search: how many events it reads among, and matches. */
export interface SearchEstimate {
  /** The scope's events (`scopeEventsEstimate`); Infinity before the first ANALYZE. */
  events: number;
  /**
   * The share of events that match every term, or undefined when the statistics hold no
   * search documents' words. A term's share is that of its most common word among the most
   * common words ANALYZE lists (`most_common_elems`, about the thousand most frequent); a term
   * none of them matches is rarer than all of those, and counts as 0. Terms are taken as
   * independent: the shares multiply.
   */
  share: number | undefined;
}

/**
 * Statistics change only when ANALYZE runs, so an estimate is kept for ten minutes per
 * database, scope and terms (at most 256 of them): asked again on every search, it was
 * another round trip and ~0.3 ms of PostgreSQL's time.
 */
const ESTIMATE_TTL_MS = 10 * 60_000;
const ESTIMATES_KEPT = 256;
const estimates = new WeakMap<object, Map<string, { at: number; value: SearchEstimate }>>();

export async function estimateSearch(
  db: Queryable,
  scope: VisibleScope,
  terms: string[],
): Promise<SearchEstimate> {
  const key = `${scope.ids.join(",")} ${terms.join(" ")}`;
  let kept = estimates.get(db);
  if (!kept) {
    kept = new Map();
    estimates.set(db, kept);
  }
  const now = Date.now();
  const hit = kept.get(key);
  if (hit && now - hit.at < ESTIMATE_TTL_MS) return hit.value;
  const shares = terms.map(
    (t) =>
      sql`(select coalesce(max(mc.f), 0) from mc where array_to_tsvector(array[mc.e]) @@ ${searchQuery([t])})`,
  );
  const [row] = await queryRows<{ events: number | string; listed: boolean; shares: (number | string)[] }>(
    db,
    sql`with mc as (select x.e, x.f from pg_stats s
          cross join lateral unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as x(e, f)
          where s.schemaname = current_schema() and s.tablename = 'events' and s.attname = 'search_vector'
            and x.e is not null)
        select ${scopeEventsEstimate(scope)} as events, exists (select from mc) as listed,
               array[${sql.join(shares, sql`, `)}]::float8[] as shares`,
  );
  const value: SearchEstimate = {
    events: Number(row?.events ?? Number.POSITIVE_INFINITY),
    share: row?.listed ? (row.shares ?? []).reduce((p: number, f) => p * Number(f), 1) : undefined,
  };
  kept.delete(key);
  kept.set(key, { at: now, value });
  if (kept.size > ESTIMATES_KEPT) kept.delete(kept.keys().next().value as string);
  return value;
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
