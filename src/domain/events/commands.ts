/**
 * Organiser commands on events: create a draft, edit, submit, withdraw, cancel,
 * postpone, delete. Each runs in one transaction, checks the actor, asks the workflow
 * for the next state, writes with optimistic concurrency, logs and notifies.
 */
import { eq } from "drizzle-orm";
import type { EventStatus, WorkflowState } from "../../contract/codes.ts";
import { events, organisations, revisions } from "../../db/schema.ts";
import { type Actor, canWriteFor, isModeratorOf, ownsEvent, requireOwner } from "../accounts/access.ts";
import { type Ctx, withTransaction } from "../context.ts";
import { Forbidden, issueCode, Unauthorized, ValidationError } from "../errors.ts";
import { notifyModerators, notifyOrganiser } from "../notifications/notifications.ts";
import { transition } from "../workflow/machine.ts";
import { type DuplicateWarning, findDuplicates, viewerIn } from "./duplicates.ts";
import { diffInputs, EventInput, type EventPatch } from "./input.ts";
import {
  appendLog,
  checkVersion,
  contentColumns,
  currentInput,
  decideRevision,
  type EventRow,
  loadEvent,
  normaliseInput,
  pendingRevision,
  positionOf,
  prepareContent,
  publishedChange,
  sameCategories,
  snapshot,
  versionedUpdate,
  writeDerived,
} from "./store.ts";

export interface EventResult {
  id: string;
  version: number;
  state: WorkflowState;
  event_status: EventStatus;
  /** True when an edit of a published event is waiting for moderation. */
  pending_revision?: boolean;
  warnings: { duplicates: DuplicateWarning[] };
}

const result = (
  row: EventRow,
  duplicates: DuplicateWarning[] = [],
  pendingRevision?: boolean,
): EventResult => ({
  id: row.id,
  version: row.version,
  state: row.state,
  event_status: row.eventStatus,
  ...(pendingRevision !== undefined ? { pending_revision: pendingRevision } : {}),
  warnings: { duplicates },
});

async function isTrusted(ctx: Ctx, row: EventRow): Promise<boolean> {
  if (!row.organisationId) return false;
  const [org] = await ctx.db
    .select({ trusted: organisations.trusted })
    .from(organisations)
    .where(eq(organisations.id, row.organisationId));
  return org?.trusted ?? false;
}

async function loadOwned(ctx: Ctx, actor: Actor, id: string): Promise<EventRow> {
  const row = await loadEvent(ctx, id);
  requireOwner(actor, row);
  return row;
}

/** Creates a draft for an organisation (or privately for the user when none is given). */
export async function createEvent(
  ctx: Ctx,
  actor: Actor,
  organisationId: string | null,
  input: EventInput,
): Promise<EventResult> {
  if (actor.kind === "anonymous") throw new Unauthorized();
  const orgId = actor.kind === "token" ? (organisationId ?? actor.organisationId) : organisationId;
  if (!canWriteFor(actor, orgId)) throw new Forbidden("You are not a member of this organisation");
  return withTransaction(ctx, async (tx) => {
    if (orgId) {
      const [org] = await tx.db
        .select({ id: organisations.id })
        .from(organisations)
        .where(eq(organisations.id, orgId));
      if (!org) throw new ValidationError([{ path: "organisation_id", message: "no such organisation" }]);
    }
    const prepared = await prepareContent(tx, input);
    const now = tx.clock.now();
    const [row] = await tx.db
      .insert(events)
      .values({
        ...(await contentColumns(tx, prepared)),
        municipalityId: tx.tenant.id,
        organisationId: orgId,
        createdBy: actor.kind === "user" ? actor.userId : null,
        state: "draft",
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const created = row as EventRow;
    await writeDerived(tx, created, prepared.categoryIds);
    return result(created, await findDuplicates(tx.db, created, viewerIn(tx, actor)));
  });
}

function merge(current: EventInput, patch: Omit<EventPatch, "version">): EventInput {
  const merged: EventInput = { ...current, ...patch } as EventInput;
  // A new place replaces the place id and vice versa.
  if ("place" in patch && patch.place && !("place_id" in patch)) merged.place_id = null;
  if ("place_id" in patch && patch.place_id && !("place" in patch)) merged.place = null;
  return merged;
}

/**
 * Edits an event. A draft or pending event changes in place (a pending one stays in the
 * queue with the new content and version, so a moderator deciding on the old version
 * gets 409). A published event gets a pending revision instead, and the live version
 * stays until a moderator approves it — unless the organisation is trusted.
 */
export async function updateEvent(
  ctx: Ctx,
  actor: Actor,
  id: string,
  patch: EventPatch,
): Promise<EventResult> {
  const { version, ...fields } = patch;
  return withTransaction(ctx, async (tx) => {
    const row = await loadOwned(tx, actor, id);
    transition(await positionOf(tx, row), "edit");
    checkVersion(row, version);
    const current = await currentInput(tx, row);
    const parsed = EventInput.safeParse(merge(current, fields));
    if (!parsed.success) {
      throw new ValidationError(
        parsed.error.issues.map((i) => ({
          path: i.path.map(String).join(".") || "(root)",
          message: i.message,
          ...issueCode(i as Parameters<typeof issueCode>[0]),
        })),
      );
    }
    const prepared = await prepareContent(tx, parsed.data);

    if (row.state === "published" && !(await isTrusted(tx, row))) {
      const proposed = normaliseInput(tx, parsed.data);
      const changes = diffInputs(current, proposed);
      if (changes.length === 0) return result(row, [], (await pendingRevision(tx, row.id)) !== null);
      const previous = await pendingRevision(tx, row.id);
      if (previous) await decideRevision(tx, previous.id, "superseded", actor, null);
      const updated = await versionedUpdate(tx, row, {});
      await tx.db.insert(revisions).values({
        municipalityId: row.municipalityId,
        eventId: row.id,
        baseVersion: updated.version,
        proposed: proposed as Record<string, unknown>,
        createdBy: actor.kind === "user" ? actor.userId : null,
        createdAt: tx.clock.now(),
      });
      await appendLog(tx, actor, row.id, "propose_revision", snapshot(row), {
        ...snapshot(updated),
        changes,
      });
      await notifyModerators(tx, row, true);
      return result(updated, [], true);
    }

    const published = row.state === "published";
    const columns = await contentColumns(tx, prepared);
    const updated = await versionedUpdate(tx, row, {
      ...columns,
      ...(published ? publishedChange(row, columns) : {}),
    });
    await writeDerived(tx, updated, prepared.categoryIds, {
      row,
      sameCategories: sameCategories(current.categories, parsed.data.categories),
    });
    if (published) {
      await appendLog(tx, actor, row.id, "edit_trusted", snapshot(row), {
        ...snapshot(updated),
        changes: diffInputs(current, await currentInput(tx, updated)),
      });
    }
    return result(updated, await findDuplicates(tx.db, updated, viewerIn(tx, actor)));
  });
}

/** Sends a draft to moderation, or publishes it at once for a trusted organisation. */
export async function submitEvent(ctx: Ctx, actor: Actor, id: string, version: number): Promise<EventResult> {
  return withTransaction(ctx, async (tx) => {
    const row = await loadOwned(tx, actor, id);
    const trusted = actor.kind !== "submitter" && (await isTrusted(tx, row));
    const action = trusted ? "publish_trusted" : "submit";
    const next = transition(await positionOf(tx, row), action);
    checkVersion(row, version);
    const now = tx.clock.now();
    const updated = await versionedUpdate(tx, row, {
      state: next.state,
      submittedAt: now,
      ...(trusted ? { publishedAt: now } : {}),
    });
    await appendLog(tx, actor, row.id, action, snapshot(row), snapshot(updated));
    if (!trusted) {
      await notifyOrganiser(tx, row.id, "submission_received");
      await notifyModerators(tx, row, false);
    }
    return result(updated, await findDuplicates(tx.db, updated, viewerIn(tx, actor)));
  });
}

/** Takes a pending submission back to draft. */
export async function withdrawEvent(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
): Promise<EventResult> {
  return simpleTransition(ctx, actor, id, version, "withdraw");
}

/** Deletes a draft, pending or rejected event (soft delete). */
export async function deleteEvent(ctx: Ctx, actor: Actor, id: string, version: number): Promise<void> {
  await simpleTransition(ctx, actor, id, version, "delete");
}

async function simpleTransition(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  action: "withdraw" | "delete",
): Promise<EventResult> {
  return withTransaction(ctx, async (tx) => {
    const row = await loadOwned(tx, actor, id);
    const next = transition(await positionOf(tx, row), action);
    checkVersion(row, version);
    const updated = await versionedUpdate(tx, row, {
      state: next.state,
      ...(action === "delete" ? { deletedAt: tx.clock.now() } : {}),
    });
    await appendLog(tx, actor, row.id, action, snapshot(row), snapshot(updated));
    return result(updated);
  });
}

/**
 * Cancels or postpones a published event at once, without moderation: residents must
 * learn of it immediately. Bumps the iCal SEQUENCE. A moderator may cancel too; the
 * organiser is then told why.
 */
export async function changeEventStatus(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  action: "cancel" | "postpone",
  reason: string | null,
): Promise<EventResult> {
  return withTransaction(ctx, async (tx) => {
    const row = await loadEvent(tx, id);
    const owner = ownsEvent(actor, row);
    const byModerator = !owner && action === "cancel" && isModeratorOf(actor, tx.tenant);
    if (!owner && !byModerator) requireOwner(actor, row);
    const next = transition(await positionOf(tx, row), action);
    checkVersion(row, version);
    const updated = await versionedUpdate(tx, row, {
      eventStatus: next.eventStatus,
      sequence: row.sequence + 1,
    });
    // Occurrences stay: a cancelled event remains listed, clearly marked.
    await appendLog(tx, actor, row.id, action, snapshot(row), snapshot(updated), reason);
    if (byModerator) await notifyOrganiser(tx, row.id, "cancelled_by_moderator", { reason });
    return result(updated);
  });
}
