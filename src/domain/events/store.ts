/**
 * Low-level writes shared by the organiser, submission and moderation commands:
 * loading an event, the versioned UPDATE (optimistic concurrency), writing an input's
 * content (place, categories, occurrences, search document) and the moderation log.
 */
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { categories, eventCategories, events, moderationLog, places, revisions } from "../../db/schema.ts";
import { type Actor, logActor } from "../accounts/access.ts";
import type { Ctx } from "../context.ts";
import { Conflict, NotFound, ValidationError } from "../errors.ts";
import { randomToken } from "../secrets.ts";
import type { WorkflowPosition } from "../workflow/machine.ts";
import { type EventInput, type NewPlace, toEventInput, toEventValues } from "./input.ts";
import { horizonFrom, materialiseOccurrences } from "./occurrences.ts";
import { refreshSearchVectors } from "./search.ts";

export type EventRow = typeof events.$inferSelect;
export type RevisionRow = typeof revisions.$inferSelect;

/**
 * Loads an event of the request's municipality: another municipality's event is as unknown
 * as a missing one (404), so no command or private read reaches across tenants by id.
 */
export async function loadEvent(ctx: Ctx, id: string): Promise<EventRow> {
  const [row] = await ctx.db
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.municipalityId, ctx.tenant.id), isNull(events.deletedAt)));
  if (!row) throw new NotFound("Event", id);
  return row;
}

export async function pendingRevision(ctx: Ctx, eventId: string): Promise<RevisionRow | null> {
  const [row] = await ctx.db
    .select()
    .from(revisions)
    .where(and(eq(revisions.eventId, eventId), eq(revisions.state, "pending")));
  return row ?? null;
}

export async function positionOf(ctx: Ctx, row: EventRow): Promise<WorkflowPosition> {
  const hasRevision = row.state === "published" && (await pendingRevision(ctx, row.id)) !== null;
  return { state: row.state, eventStatus: row.eventStatus, hasRevision };
}

/** A stale `version` is a 409 that tells the client the current one. */
export function checkVersion(row: EventRow, version: number): void {
  if (row.version !== version) {
    throw new Conflict(`The event has changed (version ${row.version}); reload it and try again`, {
      current_version: row.version,
    });
  }
}

/**
 * UPDATE … WHERE id = ? AND version = ?, bumping the version. Zero rows means that
 * someone else changed the event since it was read: a Conflict, never a lost update.
 */
export async function versionedUpdate(
  ctx: Ctx,
  row: EventRow,
  set: Partial<typeof events.$inferInsert>,
): Promise<EventRow> {
  const [updated] = await ctx.db
    .update(events)
    .set({ ...set, version: row.version + 1, updatedAt: ctx.clock.now() })
    .where(and(eq(events.id, row.id), eq(events.version, row.version)))
    .returning();
  if (!updated) {
    throw new Conflict("The event was changed by someone else; reload it and try again", {
      current_version: null,
    });
  }
  // Publishing (or changing the place of a published event) lets its place in, in the
  // same transaction: a published event never refers to a place that is not public.
  if (updated.state === "published" && ("state" in set || "placeId" in set)) {
    await approvePlaceOf(ctx, updated);
  }
  return updated;
}

/**
 * Name and address of the given places for organisers' and moderators' views, with
 * `approved: false` for a place not yet public (created with a submission that awaits
 * moderation).
 */
export async function placeSummaries(ctx: Ctx, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select({
      id: places.id,
      name: places.name,
      street_address: places.streetAddress,
      postal_code: places.postalCode,
      locality: places.locality,
      approved_at: places.approvedAt,
    })
    .from(places)
    .where(inArray(places.id, ids));
  return rows.map(({ approved_at, ...p }) => ({ ...p, approved: approved_at !== null }));
}

/**
 * Makes the event's place public (sets `approved_at`) unless it already is. A place
 * created inline with a submission stays out of every public list, filter and feed until
 * an event that refers to it is published: by a moderator's approval, or at once by a
 * trusted organisation. Rejected, withdrawn and deleted submissions leave it unlisted.
 */
export async function approvePlaceOf(ctx: Ctx, row: Pick<EventRow, "placeId">): Promise<void> {
  if (!row.placeId) return;
  await ctx.db
    .update(places)
    .set({ approvedAt: ctx.clock.now() })
    .where(and(eq(places.id, row.placeId), isNull(places.approvedAt)));
}

/** The region's shared categories and the municipality's own. */
const sharedOrOwn = (ctx: Ctx) =>
  or(isNull(categories.municipalityId), eq(categories.municipalityId, ctx.tenant.id));

function slugify(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "paikka"
  );
}

/**
 * Inserts a place given inline with an event. It is not public yet (`approved_at` null):
 * organisers and anonymous submitters are not trusted to publish text unchecked, so the
 * place becomes public only with the publication of its event (see approvePlaceOf).
 */
async function createPlace(ctx: Ctx, place: NewPlace): Promise<string> {
  const name = place.name.fi || place.name.sv || place.name.en || "paikka";
  const [row] = await ctx.db
    .insert(places)
    .values({
      municipalityId: ctx.tenant.id,
      slug: `${slugify(name)}-${randomToken().slice(0, 6).toLowerCase()}`,
      name: Object.fromEntries(Object.entries(place.name).filter(([, v]) => v)),
      streetAddress: place.street_address ?? null,
      postalCode: place.postal_code ?? null,
      locality: place.locality ?? null,
      lat: place.lat ?? null,
      lon: place.lon ?? null,
      approvedAt: null,
    })
    .returning({ id: places.id });
  return (row as { id: string }).id;
}

/** Checks that the referenced place and categories exist (before anything is written). */
export async function checkReferences(ctx: Ctx, input: EventInput): Promise<string[]> {
  if (input.place_id) {
    const [p] = await ctx.db
      .select({ id: places.id })
      .from(places)
      .where(
        and(
          eq(places.id, input.place_id),
          eq(places.municipalityId, ctx.tenant.id),
          isNull(places.deletedAt),
        ),
      );
    if (!p) throw new ValidationError([{ path: "place_id", message: "no such place" }]);
  }
  const slugs = [...new Set(input.categories ?? [])];
  if (slugs.length === 0) return [];
  const found = await ctx.db
    .select({ id: categories.id, slug: categories.slug })
    .from(categories)
    .where(and(inArray(categories.slug, slugs), sharedOrOwn(ctx)));
  const bySlug = new Map(found.map((c) => [c.slug, c.id]));
  const unknown = (input.categories ?? []).findIndex((s) => !bySlug.has(s));
  if (unknown >= 0) {
    throw new ValidationError([{ path: `categories.${unknown}`, message: "no such category" }]);
  }
  return slugs.map((s) => bySlug.get(s) as string);
}

/**
 * Validates an input fully (fields, references) and returns what `writeContent` needs.
 * Nothing is written, so a bad input leaves the database untouched.
 */
export async function prepareContent(ctx: Ctx, input: EventInput) {
  const values = toEventValues(input, ctx.config.timezone, horizonFrom(ctx.clock.now()));
  const categoryIds = await checkReferences(ctx, input);
  return { input, values, categoryIds };
}
export type PreparedContent = Awaited<ReturnType<typeof prepareContent>>;

/** Column values of a prepared input, creating a new place when the input has one. */
export async function contentColumns(ctx: Ctx, p: PreparedContent) {
  const placeId = p.input.place ? await createPlace(ctx, p.input.place) : (p.input.place_id ?? null);
  return { ...p.values, placeId };
}

/** What an edit started from: the row before it, and whether it kept the event's categories. */
export interface DerivedBefore {
  row: EventRow;
  sameCategories: boolean;
}

/**
 * After the event row is written: categories, occurrences and the search document. An edit
 * (`before`) rewrites only what it changed: most edits change the text or the time, not both,
 * and each rewrite is two statements, a data-version bump and index work in the transaction
 * that holds the municipality's data-version row (#15: a title edit ran 20 statements, of which
 * 5 rewrote categories, occurrences and the search document as they were). Occurrences already
 * materialised stay valid without a rewrite: the scheduled extension job moves every series'
 * horizon, an edit never had to.
 */
export async function writeDerived(
  ctx: Ctx,
  row: EventRow,
  categoryIds: string[],
  before?: DerivedBefore,
): Promise<void> {
  if (!before?.sameCategories) {
    await ctx.db.delete(eventCategories).where(eq(eventCategories.eventId, row.id));
    if (categoryIds.length > 0) {
      await ctx.db
        .insert(eventCategories)
        .values(categoryIds.map((categoryId) => ({ eventId: row.id, categoryId })));
    }
  }
  if (!before || !sameSeries(before.row, row))
    await materialiseOccurrences(ctx.db, row.id, row, ctx.clock.now());
  if (!before || !sameSearchText(before.row, row)) await refreshSearchVectors(ctx.db, [row.id]);
}

/** Whether two rows of an event expand to the same occurrences. */
export function sameSeries(a: EventRow, b: EventRow): boolean {
  return (
    a.startsAt.getTime() === b.startsAt.getTime() &&
    a.endsAt.getTime() === b.endsAt.getTime() &&
    a.allDay === b.allDay &&
    a.timezone === b.timezone &&
    (a.rrule ?? null) === (b.rrule ?? null) &&
    a.exdates.join() === b.exdates.join() &&
    a.rdates.join() === b.rdates.join() &&
    a.municipalityId === b.municipalityId
  );
}

/** Whether two rows of an event have the same search document (refreshSearchVectors' sources). */
function sameSearchText(a: EventRow, b: EventRow): boolean {
  const text = (r: EventRow) => JSON.stringify([r.title, r.shortDescription, r.description]);
  return a.placeId === b.placeId && a.organisationId === b.organisationId && text(a) === text(b);
}

/** Whether an edit keeps the event's categories (slugs, in any order). */
export function sameCategories(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = new Set(a ?? []);
  const y = new Set(b ?? []);
  return x.size === y.size && [...x].every((s) => y.has(s));
}

/** The event as the input that would recreate it. */
export async function currentInput(ctx: Ctx, row: EventRow): Promise<EventInput> {
  const cats = await ctx.db
    .select({ slug: categories.slug })
    .from(eventCategories)
    .innerJoin(categories, eq(categories.id, eventCategories.categoryId))
    .where(eq(eventCategories.eventId, row.id));
  return toEventInput(
    row,
    cats.map((c) => c.slug),
  );
}

/** Normalises an input the way it would be stored, so that diffs compare like with like. */
export function normaliseInput(ctx: Ctx, input: EventInput): EventInput {
  const values = toEventValues(input, ctx.config.timezone, horizonFrom(ctx.clock.now()));
  const normal = toEventInput({ ...values, placeId: input.place_id ?? null }, input.categories ?? []);
  return input.place ? { ...normal, place_id: null, place: input.place } : normal;
}

/** What the log keeps as before/after of a decision. */
export const snapshot = (row: EventRow) => ({
  state: row.state,
  event_status: row.eventStatus,
  version: row.version,
  sequence: row.sequence,
});

/** Appends one entry to the append-only moderation log. */
export async function appendLog(
  ctx: Ctx,
  actor: Actor,
  eventId: string,
  action: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  reason: string | null = null,
): Promise<void> {
  await ctx.db.insert(moderationLog).values({
    municipalityId: ctx.tenant.id,
    eventId,
    ...logActor(actor),
    action,
    reason,
    before,
    after,
    createdAt: ctx.clock.now(),
  });
}

/** Marks the pending revision of an event as decided. */
export async function decideRevision(
  ctx: Ctx,
  revisionId: string,
  state: "approved" | "rejected" | "changes_requested" | "superseded",
  actor: Actor,
  reason: string | null,
): Promise<void> {
  await ctx.db
    .update(revisions)
    .set({
      state,
      decidedBy: actor.kind === "user" ? actor.userId : null,
      decidedAt: ctx.clock.now(),
      reason,
    })
    .where(and(eq(revisions.id, revisionId), eq(revisions.state, "pending")));
}

/**
 * Columns for a published event whose content changes: SEQUENCE goes up, and a
 * postponed event that gets new dates becomes rescheduled (schema.org).
 */
export function publishedChange(row: EventRow, next: { startsAt: Date; endsAt: Date }) {
  const moved =
    next.startsAt.getTime() !== row.startsAt.getTime() || next.endsAt.getTime() !== row.endsAt.getTime();
  return {
    sequence: row.sequence + 1,
    ...(row.eventStatus === "postponed" && moved ? { eventStatus: "rescheduled" as const } : {}),
  };
}
