/**
 * Moderator decisions (approve, reject, request changes; singly or in bulk), the
 * moderation queue and the moderation log. A decision on a pending event moves it
 * through the workflow; a decision on a published event with a pending revision applies
 * or discards the revision. Every decision is logged and notified in one transaction.
 */
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { LocalizedText, OrganisationKind } from "../../contract/codes.ts";
import { type Queryable, queryRows } from "../../db/client.ts";
import {
  categories,
  eventCategories,
  events,
  moderationLog,
  organisations,
  revisions,
  users,
} from "../../db/schema.ts";
import { type Actor, logActor, requireModeratorOf, requireRegionModerator } from "../accounts/access.ts";
import { type Ctx, withTransaction } from "../context.ts";
import { findDuplicates, findDuplicatesMany } from "../events/duplicates.ts";
import { diffInputs, type EventInput, toEventInput } from "../events/input.ts";
import {
  appendLog,
  checkVersion,
  contentColumns,
  currentInput,
  decideRevision,
  type EventRow,
  loadEvent,
  pendingRevision,
  placeSummaries,
  positionOf,
  prepareContent,
  publishedChange,
  sameCategories,
  snapshot,
  versionedUpdate,
  writeDerived,
} from "../events/store.ts";
import { notifyOrganiser } from "../notifications/notifications.ts";
import { profileChanges, setTrusted } from "../organisations/organisations.ts";
import { transition } from "../workflow/machine.ts";

export type Decision = "approve" | "reject" | "request_changes";

export interface DecisionResult {
  id: string;
  version: number;
  state: string;
  event_status: string;
  sequence: number;
}

const decisionResult = (row: EventRow): DecisionResult => ({
  id: row.id,
  version: row.version,
  state: row.state,
  event_status: row.eventStatus,
  sequence: row.sequence,
});

const NOTICE: Record<Decision, [string, string]> = {
  approve: ["event_approved", "revision_approved"],
  reject: ["event_rejected", "revision_rejected"],
  request_changes: ["changes_requested", "changes_requested"],
};

async function decideOne(
  tx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  decision: Decision,
  reason: string | null,
): Promise<DecisionResult> {
  const row = await loadEvent(tx, id);
  const position = await positionOf(tx, row);
  const onRevision = position.state === "published";
  const action = onRevision
    ? (
        {
          approve: "approve_revision",
          reject: "reject_revision",
          request_changes: "request_revision_changes",
        } as const
      )[decision]
    : decision;
  const next = transition(position, action);
  checkVersion(row, version);
  let updated: EventRow;
  let changes: unknown;

  if (!onRevision) {
    updated = await versionedUpdate(tx, row, {
      state: next.state,
      ...(decision === "approve" ? { publishedAt: row.publishedAt ?? tx.clock.now() } : {}),
    });
  } else {
    const revision = (await pendingRevision(tx, row.id))!;
    if (decision === "approve") {
      const before = await currentInput(tx, row);
      const prepared = await prepareContent(tx, revision.proposed as EventInput);
      const columns = await contentColumns(tx, prepared);
      updated = await versionedUpdate(tx, row, { ...columns, ...publishedChange(row, columns) });
      await writeDerived(tx, updated, prepared.categoryIds, {
        row,
        sameCategories: sameCategories(before.categories, prepared.input.categories),
      });
      changes = diffInputs(before, await currentInput(tx, updated));
    } else {
      updated = await versionedUpdate(tx, row, {});
    }
    await decideRevision(
      tx,
      revision.id,
      decision === "approve" ? "approved" : decision === "reject" ? "rejected" : "changes_requested",
      actor,
      reason,
    );
  }
  await appendLog(
    tx,
    actor,
    row.id,
    action,
    snapshot(row),
    { ...snapshot(updated), ...(changes ? { changes } : {}) },
    reason,
  );
  await notifyOrganiser(tx, row.id, NOTICE[decision][onRevision ? 1 : 0], { reason });
  return decisionResult(updated);
}

/** One decision on one event; a stale version or a decision already taken is a 409. */
export async function decide(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  decision: Decision,
  reason: string | null = null,
): Promise<DecisionResult> {
  requireModeratorOf(actor, ctx.tenant);
  return withTransaction(ctx, (tx) => decideOne(tx, actor, id, version, decision, reason));
}

/** The same decision on several events, all or nothing (one transaction). */
export async function decideMany(
  ctx: Ctx,
  actor: Actor,
  items: { id: string; version: number }[],
  decision: "approve" | "reject",
  reason: string | null,
): Promise<DecisionResult[]> {
  requireModeratorOf(actor, ctx.tenant);
  return withTransaction(ctx, async (tx) => {
    const out: DecisionResult[] = [];
    for (const item of items) out.push(await decideOne(tx, actor, item.id, item.version, decision, reason));
    return out;
  });
}

export interface QueueFilter {
  kind?: "submission" | "revision";
  organisationId?: string;
  q?: string;
  limit: number;
  offset: number;
}

interface QueueRow {
  id: string;
  revision_id: string | null;
  revision_created_at: string | Date | null;
  queued_at: string | Date;
  [k: string]: unknown;
}

/**
 * The moderation queue, oldest first: pending submissions and published events with a
 * pending revision. Each item carries duplicate warnings, and revisions a field diff.
 */
export async function moderationQueue(ctx: Ctx, actor: Actor, f: QueueFilter) {
  requireModeratorOf(actor, ctx.tenant);
  const kindFilter =
    f.kind === "submission"
      ? sql`and e.state = 'pending'`
      : f.kind === "revision"
        ? sql`and r.id is not null`
        : sql``;
  const orgFilter = f.organisationId ? sql`and e.organisation_id = ${f.organisationId}::uuid` : sql``;
  const qFilter = f.q
    ? sql`and concat_ws(' ', e.title->>'fi', e.title->>'sv', e.title->>'en') ilike ${`%${f.q.replace(/[%_\\]/g, "\\$&")}%`}`
    : sql``;
  const base = sql`from events e
      left join revisions r on r.event_id = e.id and r.state = 'pending'
      where e.municipality_id = ${ctx.tenant.id}::uuid and e.deleted_at is null
        and (e.state = 'pending' or (e.state = 'published' and r.id is not null))`;
  const rows = await queryRows<QueueRow>(
    ctx.db,
    sql`select e.id, r.id as revision_id, r.created_at as revision_created_at,
               coalesce(r.created_at, e.submitted_at, e.updated_at) as queued_at
        ${base} ${kindFilter} ${orgFilter} ${qFilter}
        order by queued_at asc, e.id asc
        limit ${f.limit} offset ${f.offset}`,
  );
  const [counts] = await queryRows<{ submissions: number; revisions: number }>(
    ctx.db,
    sql`select count(*) filter (where e.state = 'pending')::int as submissions,
               count(*) filter (where r.id is not null)::int as revisions
        ${base} ${orgFilter} ${qFilter}`,
  );
  const data = await queueItems(ctx, rows);
  const submissions = Number(counts?.submissions ?? 0);
  const revisionCount = Number(counts?.revisions ?? 0);
  return { data, counts: { submissions, revisions: revisionCount, total: submissions + revisionCount } };
}

interface WhoRow {
  org_id: string | null;
  org_name: string | null;
  trusted: boolean | null;
  org_contact_email: string | null;
  org_contact_phone: string | null;
  user_name: string | null;
  user_email: string | null;
  submitter_name: string | null;
  submitter_email: string | null;
  submitter_confirmed: boolean | null;
}

/** Who is behind an event: its organisation, the account that created it, or a private submitter. */
async function ownerOf(ctx: Ctx, eventId: string): Promise<WhoRow | undefined> {
  return (await ownersOf(ctx, [eventId])).get(eventId);
}

/** ownerOf for many events in one query. */
async function ownersOf(ctx: Ctx, eventIds: string[]): Promise<Map<string, WhoRow>> {
  if (eventIds.length === 0) return new Map();
  const rows = await queryRows<WhoRow & { event_id: string }>(
    ctx.db,
    sql`select e.id as event_id, o.id as org_id, o.name as org_name, o.trusted, o.contact_email as org_contact_email,
               o.contact_phone as org_contact_phone, u.display_name as user_name, u.email as user_email,
               s.name as submitter_name, s.email as submitter_email, s.confirmed_at is not null as submitter_confirmed
        from events e left join organisations o on o.id = e.organisation_id
        left join users u on u.id = e.created_by and u.deleted_at is null
        left join submitters s on s.id = e.submitter_id and s.deleted_at is null
        where e.id = any(${`{${eventIds.join(",")}}`}::uuid[])`,
  );
  return new Map(rows.map((r) => [r.event_id, r]));
}

/**
 * The queue's items in a constant number of queries, whatever the page size: the events, who is
 * behind them, their categories, the pending revisions and the duplicate warnings, each loaded
 * for the whole page at once (test/moderation-queue-queries.test.ts counts them).
 */
async function queueItems(ctx: Ctx, page: QueueRow[]) {
  if (page.length === 0) return [];
  const ids = page.map((r) => r.id);
  const revisionIds = page.map((r) => r.revision_id).filter((x): x is string => Boolean(x));
  const [rows, owners, cats, revs] = await Promise.all([
    ctx.db.select().from(events).where(inArray(events.id, ids)),
    ownersOf(ctx, ids),
    ctx.db
      .select({ eventId: eventCategories.eventId, slug: categories.slug })
      .from(eventCategories)
      .innerJoin(categories, eq(categories.id, eventCategories.categoryId))
      .where(inArray(eventCategories.eventId, ids)),
    // Also for a page without revisions (inArray of none is false), so the count stays constant.
    ctx.db.select().from(revisions).where(inArray(revisions.id, revisionIds)),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const revById = new Map(revs.map((r) => [r.id, r]));
  const duplicates = await findDuplicatesMany(ctx.db, rows, "staff");
  return page.flatMap((r) => {
    const row = byId.get(r.id);
    if (!row) return [];
    const who = owners.get(r.id);
    const input = toEventInput(
      row,
      cats.filter((c) => c.eventId === r.id).map((c) => c.slug),
    );
    const rev = r.revision_id ? revById.get(r.revision_id) : undefined;
    return [
      {
        id: row.id,
        kind: r.revision_id ? ("revision" as const) : ("submission" as const),
        version: row.version,
        state: row.state,
        event_status: row.eventStatus,
        title: row.title as LocalizedText,
        queued_at: new Date(r.queued_at).toISOString(),
        organisation: who?.org_id
          ? { id: who.org_id, name: who.org_name, trusted: Boolean(who.trusted) }
          : null,
        created_by: who?.user_name ? { name: who.user_name, email: who.user_email } : null,
        submitter: who?.submitter_name ? { name: who.submitter_name, email: who.submitter_email } : null,
        event: input,
        changes: r.revision_id ? diffInputs(input, rev?.proposed as EventInput) : null,
        duplicates: duplicates.get(r.id) ?? [],
      },
    ];
  });
}

/**
 * Everything a moderator needs to decide on one event: the event as it stands, the pending
 * revision and its field diff against the published version, who submitted it (with the
 * private contact details, for moderators only), the places and categories it refers to
 * (a place that is not public yet says `approved: false`: approving the event publishes it),
 * duplicate warnings and the event's decision history. Any event (not only queued ones)
 * can be looked at; `decisions` lists what can be decided now.
 */
export async function reviewEvent(ctx: Ctx, actor: Actor, id: string) {
  requireModeratorOf(actor, ctx.tenant);
  const row = await loadEvent(ctx, id);
  const revision = row.state === "published" ? await pendingRevision(ctx, row.id) : null;
  const who = await ownerOf(ctx, row.id);
  const input = await currentInput(ctx, row);
  const proposed = revision ? (revision.proposed as EventInput) : null;
  const placeIds = [...new Set([input.place_id, proposed?.place_id].filter((x): x is string => Boolean(x)))];
  const slugs = [...new Set([...(input.categories ?? []), ...(proposed?.categories ?? [])])];
  const placeRows = await placeSummaries(ctx, placeIds);
  const categoryRows = slugs.length
    ? await ctx.db
        .select({ slug: categories.slug, name: categories.name })
        .from(categories)
        .where(inArray(categories.slug, slugs))
    : [];
  const queued = row.state === "pending" || revision !== null;
  const queuedAt = revision?.createdAt ?? row.submittedAt ?? row.updatedAt;
  return {
    id: row.id,
    version: row.version,
    state: row.state,
    event_status: row.eventStatus,
    kind: revision ? ("revision" as const) : row.state === "pending" ? ("submission" as const) : null,
    queued_at: queued ? queuedAt.toISOString() : null,
    published_at: row.publishedAt?.toISOString() ?? null,
    updated_at: row.updatedAt.toISOString(),
    organisation: who?.org_id
      ? {
          id: who.org_id,
          name: who.org_name,
          trusted: Boolean(who.trusted),
          contact_email: who.org_contact_email,
          contact_phone: who.org_contact_phone,
        }
      : null,
    created_by: who?.user_name ? { name: who.user_name, email: who.user_email } : null,
    submitter: who?.submitter_name
      ? { name: who.submitter_name, email: who.submitter_email, confirmed: Boolean(who.submitter_confirmed) }
      : null,
    event: input,
    revision: revision
      ? { proposed: proposed as EventInput, created_at: revision.createdAt.toISOString() }
      : null,
    changes: proposed ? diffInputs(input, proposed) : null,
    // `approved: false` marks a place created with this submission: approving the event
    // makes it public too, so the moderator checks its name and address as well.
    places: placeRows,
    categories: categoryRows,
    duplicates: await findDuplicates(ctx.db, row, "staff"),
    decisions: queued ? (["approve", "reject", "request_changes"] as Decision[]) : [],
    history: await readLog(ctx.db, { eventId: row.id, limit: 50 }),
  };
}

export interface LogEntry {
  id: number;
  event_id: string | null;
  actor: { id: string | null; kind: string; name: string | null };
  action: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  created_at: string;
}

/** Log entries, newest first; `eventIds` limits them (e.g. to an organiser's own events). */
export async function readLog(
  db: Queryable,
  opts: {
    eventIds?: string[];
    eventId?: string;
    action?: string;
    limit: number;
    beforeId?: number;
    /** Only this municipality's entries. */
    municipalityId?: string;
  },
): Promise<LogEntry[]> {
  if (opts.eventIds && opts.eventIds.length === 0) return [];
  const conditions = [];
  if (opts.municipalityId) conditions.push(eq(moderationLog.municipalityId, opts.municipalityId));
  if (opts.eventId) conditions.push(eq(moderationLog.eventId, opts.eventId));
  if (opts.eventIds) conditions.push(inArray(moderationLog.eventId, opts.eventIds));
  if (opts.beforeId) conditions.push(lt(moderationLog.id, opts.beforeId));
  if (opts.action) conditions.push(eq(moderationLog.action, opts.action));
  const rows = await db
    .select({ log: moderationLog, name: users.displayName, deleted: users.deletedAt })
    .from(moderationLog)
    .leftJoin(users, eq(users.id, moderationLog.actorId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(moderationLog.id))
    .limit(opts.limit);
  return rows.map(({ log, name, deleted }) => ({
    id: log.id,
    event_id: log.eventId,
    actor: { id: log.actorId, kind: log.actorKind, name: deleted ? null : name },
    action: log.action,
    reason: log.reason,
    before: log.before,
    after: log.after,
    created_at: log.createdAt.toISOString(),
  }));
}

/**
 * The moderation log for moderators, newest first, with each event's current title (so a
 * deleted or renamed event still reads sensibly) and a cursor for the next (older) page.
 */
export async function moderationLogFor(
  ctx: Ctx,
  actor: Actor,
  opts: {
    eventId?: string | undefined;
    action?: string | undefined;
    limit: number;
    beforeId?: number | undefined;
  },
) {
  requireModeratorOf(actor, ctx.tenant);
  const entries = await readLog(ctx.db, {
    municipalityId: ctx.tenant.id,
    ...(opts.eventId ? { eventId: opts.eventId } : {}),
    ...(opts.action ? { action: opts.action } : {}),
    ...(opts.beforeId ? { beforeId: opts.beforeId } : {}),
    limit: opts.limit + 1,
  });
  const page = entries.slice(0, opts.limit);
  const eventIds = [...new Set(page.map((e) => e.event_id).filter((x): x is string => Boolean(x)))];
  const titles = eventIds.length
    ? await ctx.db
        .select({ id: events.id, title: events.title })
        .from(events)
        .where(inArray(events.id, eventIds))
    : [];
  const titleOf = new Map(titles.map((t) => [t.id, t.title]));
  return {
    data: page.map((e) => ({ ...e, event_title: e.event_id ? (titleOf.get(e.event_id) ?? null) : null })),
    next_before: entries.length > opts.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

export { LOG_ACTIONS } from "../../contract/api/moderation.ts";

/**
 * Organisations for moderators: member count, trusted flag and event counts, by name, with
 * any pending public profile change and its field diff against the approved profile.
 * `trusted` filters by the flag, `pending` to those with a profile change waiting, `q` by name.
 */
export async function moderationOrganisations(
  ctx: Ctx,
  actor: Actor,
  f: {
    q?: string | undefined;
    trusted?: boolean | undefined;
    pending?: boolean | undefined;
    limit: number;
    offset: number;
  },
) {
  requireModeratorOf(actor, ctx.tenant);
  const qFilter = f.q ? sql`and o.name ilike ${`%${f.q.replace(/[%_\\]/g, "\\$&")}%`}` : sql``;
  const trustedFilter = f.trusted === undefined ? sql`` : sql`and o.trusted = ${f.trusted}`;
  const pendingFilter =
    f.pending === undefined
      ? sql``
      : f.pending
        ? sql`and o.pending_profile is not null`
        : sql`and o.pending_profile is null`;
  const where = sql`where o.deleted_at is null ${qFilter} ${trustedFilter} ${pendingFilter}`;
  const rows = await queryRows<{
    id: string;
    slug: string;
    name: string;
    kind: OrganisationKind;
    trusted: boolean;
    website: string | null;
    description: LocalizedText;
    public_email: string | null;
    pending_profile: Record<string, unknown> | null;
    profile_submitted_at: string | Date | null;
    members: number;
    published_events: number;
    pending_events: number;
  }>(
    ctx.db,
    sql`select o.id, o.slug, o.name, o.kind, o.trusted, o.website, o.description, o.public_email,
               o.pending_profile, o.profile_submitted_at,
               (select count(*) from memberships m join users u on u.id = m.user_id and u.deleted_at is null
                 where m.organisation_id = o.id)::int as members,
               (select count(*) from events e where e.organisation_id = o.id and e.municipality_id = ${ctx.tenant.id}::uuid
                 and e.deleted_at is null and e.state = 'published')::int as published_events,
               (select count(*) from events e where e.organisation_id = o.id and e.municipality_id = ${ctx.tenant.id}::uuid
                 and e.deleted_at is null and (e.state = 'pending' or (e.state = 'published' and exists
                   (select 1 from revisions r where r.event_id = e.id and r.state = 'pending'))))::int as pending_events
        from organisations o ${where}
        order by lower(o.name), o.id
        limit ${f.limit} offset ${f.offset}`,
  );
  const [total] = await queryRows<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from organisations o ${where}`,
  );
  return {
    data: rows.map((r) => ({
      ...r,
      profile_submitted_at: r.profile_submitted_at ? new Date(r.profile_submitted_at).toISOString() : null,
      profile_changes: r.pending_profile
        ? profileChanges({
            name: r.name,
            description: r.description,
            website: r.website,
            publicEmail: r.public_email,
            pendingProfile: r.pending_profile,
          } as Parameters<typeof profileChanges>[0])
        : null,
      trusted: Boolean(r.trusted),
      members: Number(r.members),
      published_events: Number(r.published_events),
      pending_events: Number(r.pending_events),
    })),
    total: Number(total?.n ?? 0),
  };
}

/** Marks an organisation trusted or not, and records who did it in the moderation log. */
export async function setOrganisationTrust(ctx: Ctx, actor: Actor, id: string, trusted: boolean) {
  // Trust holds in every municipality (its members publish directly everywhere): regional only.
  requireRegionModerator(actor);
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select({ trusted: organisations.trusted })
      .from(organisations)
      .where(eq(organisations.id, id));
    const result = await setTrusted(tx, actor, id, trusted);
    await tx.db.insert(moderationLog).values({
      municipalityId: tx.tenant.id,
      eventId: null,
      ...logActor(actor),
      action: trusted ? "trust" : "untrust",
      reason: null,
      before: { organisation_id: id, name: result.name, trusted: before?.trusted ?? null },
      after: { organisation_id: id, name: result.name, trusted: result.trusted },
      createdAt: tx.clock.now(),
    });
    return result;
  });
}
