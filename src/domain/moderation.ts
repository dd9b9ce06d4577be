/**
 * Moderator decisions (approve, reject, request changes; singly or in bulk), the
 * moderation queue and the moderation log. A decision on a pending event moves it
 * through the workflow; a decision on a published event with a pending revision applies
 * or discards the revision. Every decision is logged and notified in one transaction.
 */
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/client.ts";
import { moderationLog, revisions, users } from "../db/schema.ts";
import { type Actor, requireModerator } from "./access.ts";
import type { LocalizedText } from "./codes.ts";
import { type Ctx, withTransaction } from "./context.ts";
import { findDuplicates } from "./duplicates.ts";
import { diffInputs, type EventInput } from "./event-input.ts";
import {
  appendLog,
  checkVersion,
  contentColumns,
  currentInput,
  decideRevision,
  type EventRow,
  loadEvent,
  pendingRevision,
  positionOf,
  prepareContent,
  publishedChange,
  snapshot,
  versionedUpdate,
  writeDerived,
} from "./event-store.ts";
import { notifyOrganiser } from "./notifications.ts";
import { transition } from "./workflow.ts";

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
      await writeDerived(tx, updated, prepared.categoryIds);
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
  requireModerator(actor);
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
  requireModerator(actor);
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
  requireModerator(actor);
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
      where e.deleted_at is null
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
  const data = [];
  for (const r of rows) data.push(await queueItem(ctx, r));
  const submissions = Number(counts?.submissions ?? 0);
  const revisionCount = Number(counts?.revisions ?? 0);
  return { data, counts: { submissions, revisions: revisionCount, total: submissions + revisionCount } };
}

async function queueItem(ctx: Ctx, r: QueueRow) {
  const row = await loadEvent(ctx, r.id);
  const [who] = await queryRows<{
    org_id: string | null;
    org_name: string | null;
    trusted: boolean | null;
    user_name: string | null;
    user_email: string | null;
    submitter_name: string | null;
    submitter_email: string | null;
    submitter_confirmed: boolean | null;
  }>(
    ctx.db,
    sql`select o.id as org_id, o.name as org_name, o.trusted, u.display_name as user_name, u.email as user_email,
               s.name as submitter_name, s.email as submitter_email, s.confirmed_at is not null as submitter_confirmed
        from events e left join organisations o on o.id = e.organisation_id
        left join users u on u.id = e.created_by and u.deleted_at is null
        left join submitters s on s.id = e.submitter_id
        where e.id = ${r.id}::uuid`,
  );
  const input = await currentInput(ctx, row);
  let changes = null;
  if (r.revision_id) {
    const [rev] = await ctx.db.select().from(revisions).where(eq(revisions.id, r.revision_id));
    changes = diffInputs(input, rev?.proposed as EventInput);
  }
  return {
    id: row.id,
    kind: r.revision_id ? ("revision" as const) : ("submission" as const),
    version: row.version,
    state: row.state,
    event_status: row.eventStatus,
    title: row.title as LocalizedText,
    queued_at: new Date(r.queued_at).toISOString(),
    organisation: who?.org_id ? { id: who.org_id, name: who.org_name, trusted: Boolean(who.trusted) } : null,
    created_by: who?.user_name ? { name: who.user_name, email: who.user_email } : null,
    submitter: who?.submitter_name ? { name: who.submitter_name, email: who.submitter_email } : null,
    event: input,
    changes,
    duplicates: await findDuplicates(ctx.db, row),
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
  opts: { eventIds?: string[]; eventId?: string; limit: number; beforeId?: number },
): Promise<LogEntry[]> {
  if (opts.eventIds && opts.eventIds.length === 0) return [];
  const conditions = [];
  if (opts.eventId) conditions.push(eq(moderationLog.eventId, opts.eventId));
  if (opts.eventIds) conditions.push(inArray(moderationLog.eventId, opts.eventIds));
  if (opts.beforeId) conditions.push(lt(moderationLog.id, opts.beforeId));
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

/** The moderation log for moderators. */
export async function moderationLogFor(
  ctx: Ctx,
  actor: Actor,
  opts: { eventId?: string; limit: number; beforeId?: number },
) {
  requireModerator(actor);
  return readLog(ctx.db, opts);
}
