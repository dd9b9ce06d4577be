/**
 * Duplicate detection: events at the same place with an overlapping occurrence and a
 * very similar title. The overlapping occurrences are found by the place's indexes on
 * occurrences (migration 0019), then their events. Similarity is trigram Jaccard computed
 * in TypeScript (the same idea as pg_trgm, which PGlite does not ship), over a handful of SQL
 * candidates.
 */
import { sql } from "drizzle-orm";
import type { LocalizedText } from "../../contract/codes.ts";
import { type Queryable, queryRows } from "../../db/client.ts";
import { type Actor, isModeratorOf, ownsEvent } from "../accounts/access.ts";

export const DUPLICATE_THRESHOLD = 0.5;

/** pg_trgm-style trigrams: lower-cased words padded with two spaces in front, one after. */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  const words =
    text
      .normalize("NFC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words) {
    const padded = `  ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

/** Jaccard similarity of two texts' trigram sets, 0…1. */
export function similarity(a: string, b: string): number {
  const x = trigrams(a);
  const y = trigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / (x.size + y.size - shared);
}

/** Highest similarity between any translation of one title and any of the other. */
export function titleSimilarity(a: LocalizedText, b: LocalizedText): number {
  let best = 0;
  for (const ta of Object.values(a)) {
    for (const tb of Object.values(b)) if (ta && tb) best = Math.max(best, similarity(ta, tb));
  }
  return best;
}

export interface DuplicateWarning {
  event_id: string;
  title: LocalizedText;
  state: string;
  similarity: number;
}

/** "staff" when the actor moderates the tenant's events (sees every look-alike), else the actor. */
export function viewerIn(ctx: { tenant: { id: string } }, actor: Actor): Actor | "staff" {
  return isModeratorOf(actor, ctx.tenant) ? "staff" : actor;
}

/**
 * Pending or published events (other than `eventId`) at the same place whose
 * occurrences overlap one of this event's occurrences, with a similar title.
 *
 * What the `viewer` may see: moderators ("staff") every pending and published look-alike;
 * anyone else published ones and pending ones of their own (their organisation's, their
 * own submissions), never another organiser's or a stranger's unpublished title.
 */
export async function findDuplicates(
  db: Queryable,
  event: { id: string; placeId: string | null; title: LocalizedText },
  viewer: Actor | "staff",
): Promise<DuplicateWarning[]> {
  return (await findDuplicatesMany(db, [event], viewer)).get(event.id) ?? [];
}

/**
 * The occurrences `b` at the place `src.place_id` that overlap an occurrence `a` (two
 * occurrences overlap when each starts before the other ends, an occurrence lasting at least a
 * minute), read by the place's indexes (migration 0019): a short one (at most a week long)
 * starts less than a week before `a` does, a long-running one ends after `a` starts.
 */
const OVERLAPPING_AT_PLACE = sql`(
    select b.event_id from occurrences b
    where b.place_id = src.place_id and not b.long_running
      and b.starts_at > a.starts_at - interval '7 days'
      and b.starts_at < greatest(a.ends_at, a.starts_at + interval '1 minute')
      and a.starts_at < greatest(b.ends_at, b.starts_at + interval '1 minute')
    union all
    select b.event_id from occurrences b
    where b.place_id = src.place_id and b.long_running
      and b.ends_at > a.starts_at
      and b.starts_at < greatest(a.ends_at, a.starts_at + interval '1 minute'))`;

interface Candidate {
  id: string;
  title: LocalizedText;
  state: string;
  organisation_id: string | null;
  created_by: string | null;
  submitter_id: string | null;
}

/** The candidates the viewer may see that are similar enough, most similar first. */
function rankDuplicates(
  event: { title: LocalizedText },
  candidates: Candidate[],
  viewer: Actor | "staff",
): DuplicateWarning[] {
  const seesAll = viewer === "staff";
  const visible = (c: (typeof candidates)[number]) =>
    c.state === "published" ||
    seesAll ||
    ownsEvent(viewer as Actor, {
      organisationId: c.organisation_id,
      createdBy: c.created_by,
      submitterId: c.submitter_id,
    });
  return candidates
    .filter(visible)
    .map((c) => ({
      event_id: c.id,
      title: c.title,
      state: c.state,
      similarity: titleSimilarity(event.title, c.title),
    }))
    .filter((c) => c.similarity >= DUPLICATE_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity)
    .map((c) => ({ ...c, similarity: Math.round(c.similarity * 100) / 100 }));
}

/**
 * findDuplicates for many events in one query (the moderation queue): a map from each
 * event's id to its warnings, with the same candidates and ranking as findDuplicates.
 */
export async function findDuplicatesMany(
  db: Queryable,
  list: { id: string; placeId: string | null; title: LocalizedText }[],
  viewer: Actor | "staff",
): Promise<Map<string, DuplicateWarning[]>> {
  const out = new Map<string, DuplicateWarning[]>(list.map((e) => [e.id, []]));
  const withPlace = list.filter((e) => e.placeId);
  if (withPlace.length === 0) return out;
  const rows = await queryRows<Candidate & { source_id: string }>(
    db,
    sql`select src.id as source_id, c.id, c.title, c.state, c.organisation_id, c.created_by, c.submitter_id
        from events src
        cross join lateral (
          select e.id, e.title, e.state, e.organisation_id, e.created_by, e.submitter_id
          from (select distinct b.event_id from occurrences a
                cross join lateral ${OVERLAPPING_AT_PLACE} b
                where a.event_id = src.id and b.event_id <> src.id) ov
          join events e on e.id = ov.event_id
          where e.place_id = src.place_id and e.deleted_at is null
            and e.state in ('pending', 'published')
          limit 100) c
        where src.id = any(${`{${withPlace.map((e) => e.id).join(",")}}`}::uuid[])`,
  );
  for (const e of withPlace) {
    const mine = rows.filter((r) => r.source_id === e.id);
    out.set(e.id, rankDuplicates(e, mine, viewer));
  }
  return out;
}
