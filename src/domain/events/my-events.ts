/**
 * What organisers see of their own events: every event of their organisations (or
 * created by them), with workflow state, the moderators' latest comment, a pending
 * revision, and the decisions on each event from the moderation log.
 */
import { sql } from "drizzle-orm";
import type { EventInput } from "../../contract/api/event-input.ts";
import type { EventStatus, LocalizedText, WorkflowState } from "../../contract/codes.ts";
import { queryRows } from "../../db/client.ts";
import { type Actor, requireOwner, requireUser } from "../accounts/access.ts";
import type { Ctx } from "../context.ts";
import { readLog } from "../moderation/moderation.ts";
import { allowedActions } from "../workflow/machine.ts";
import { currentInput, loadEvent, pendingRevision, placeSummaries, positionOf } from "./store.ts";

const COMMENT_ACTIONS = sql`('reject', 'request_changes', 'reject_revision', 'request_revision_changes', 'cancel')`;

export async function listMyEvents(
  ctx: Ctx,
  actor: Actor,
  opts: { state?: string; limit: number; offset: number },
) {
  const me = requireUser(actor);
  const orgIds = [...me.memberships.keys()];
  const orgs = orgIds.length
    ? sql`or e.organisation_id in (${sql.join(
        orgIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql``;
  const state = opts.state ? sql`and e.state = ${opts.state}` : sql``;
  const rows = await queryRows<{
    id: string;
    version: number;
    state: WorkflowState;
    event_status: EventStatus;
    title: LocalizedText;
    starts_at: string | Date;
    organisation_id: string | null;
    organisation_name: string | null;
    updated_at: string | Date;
    has_revision: boolean;
    comment: string | null;
    comment_action: string | null;
    comment_at: string | Date | null;
  }>(
    ctx.db,
    sql`select e.id, e.version, e.state, e.event_status, e.title, e.starts_at, e.organisation_id, o.name as organisation_name,
               e.updated_at,
               exists (select 1 from revisions r where r.event_id = e.id and r.state = 'pending') as has_revision,
               l.reason as comment, l.action as comment_action, l.created_at as comment_at
        from events e
        left join organisations o on o.id = e.organisation_id
        left join lateral (select reason, action, created_at from moderation_log m
                           where m.event_id = e.id and m.reason is not null and m.action in ${COMMENT_ACTIONS}
                           order by m.id desc limit 1) l on true
        where e.municipality_id = ${ctx.tenant.id}::uuid and e.deleted_at is null and ((e.organisation_id is null and e.created_by = ${me.userId}::uuid) ${orgs}) ${state}
        order by e.updated_at desc, e.id
        limit ${opts.limit} offset ${opts.offset}`,
  );
  return rows.map((r) => ({
    id: r.id,
    version: Number(r.version),
    state: r.state,
    event_status: r.event_status,
    title: r.title,
    start: new Date(r.starts_at).toISOString(),
    organisation: r.organisation_id ? { id: r.organisation_id, name: r.organisation_name } : null,
    pending_revision: Boolean(r.has_revision),
    moderator_comment: r.comment
      ? { action: r.comment_action, text: r.comment, at: new Date(r.comment_at as string).toISOString() }
      : null,
    updated_at: new Date(r.updated_at).toISOString(),
  }));
}

/**
 * One of my events in full: the editable input, its place (also one that is not public yet,
 * `approved: false`, because it was created with this event and awaits moderation), the
 * pending revision, allowed actions and decisions.
 */
export async function getMyEvent(ctx: Ctx, actor: Actor, id: string) {
  const row = await loadEvent(ctx, id);
  requireOwner(actor, row);
  const revision = await pendingRevision(ctx, row.id);
  const [place] = row.placeId ? await placeSummaries(ctx, [row.placeId]) : [];
  return {
    id: row.id,
    version: row.version,
    state: row.state,
    event_status: row.eventStatus,
    sequence: row.sequence,
    organisation_id: row.organisationId,
    event: await currentInput(ctx, row),
    place: place ?? null,
    pending_revision: revision
      ? { proposed: revision.proposed as EventInput, created_at: revision.createdAt.toISOString() }
      : null,
    allowed_actions: allowedActions(await positionOf(ctx, row)),
    decisions: (await readLog(ctx.db, { eventId: row.id, limit: 100 })).map((d) => ({
      action: d.action,
      reason: d.reason,
      by: d.actor.kind,
      created_at: d.created_at,
      before: d.before,
      after: d.after,
    })),
  };
}
