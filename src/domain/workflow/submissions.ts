/**
 * Anonymous submissions: a person gives a name and an email address with the event.
 * The event waits as a draft until the address is confirmed through an emailed link;
 * then it enters the moderation queue. Magic links of the same kind later give access
 * to that person's own submissions only (edit, cancel).
 */
import { and, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Locale } from "../../contract/codes.ts";
import { events, submitters } from "../../db/schema.ts";
import type { SubmitterActor } from "../accounts/access.ts";
import { normaliseEmail } from "../accounts/accounts.ts";
import { consumeEmailToken, findEmailToken, issueEmailToken } from "../accounts/email-tokens.ts";
import { withEvenTiming } from "../accounts/even-timing.ts";
import { type Ctx, withTransaction } from "../context.ts";
import { changeEventStatus, deleteEvent, type EventResult, submitEvent } from "../events/commands.ts";
import { findDuplicates } from "../events/duplicates.ts";
import type { EventInput } from "../events/input.ts";
import { contentColumns, type EventRow, loadEvent, prepareContent, writeDerived } from "../events/store.ts";
import { notify, titleIn } from "../notifications/notifications.ts";

export interface SubmissionInput {
  submitter: { name: string; email: string };
  event: EventInput;
  locale: Locale;
}

/** Stores the event as an unconfirmed draft and emails the confirmation link. */
export async function submitAnonymously(ctx: Ctx, input: SubmissionInput): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const prepared = await prepareContent(tx, input.event);
    const now = tx.clock.now();
    const [submitter] = await tx.db
      .insert(submitters)
      .values({
        name: input.submitter.name,
        email: normaliseEmail(input.submitter.email),
        locale: input.locale,
        createdAt: now,
      })
      .returning();
    const [row] = await tx.db
      .insert(events)
      .values({
        ...(await contentColumns(tx, prepared)),
        municipalityId: tx.tenant.id,
        submitterId: submitter!.id,
        state: "draft",
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await writeDerived(tx, row as EventRow, prepared.categoryIds);
    const token = await issueEmailToken(tx, "submission_confirm", {
      submitterId: submitter!.id,
      eventId: row!.id,
    });
    await notify(tx, "submission_confirm", submitter!.email, input.locale, {
      path: `/ilmoita/vahvista?token=${token}`,
      title: titleIn(row!.title, input.locale),
    });
  });
}

/**
 * Confirms a submission (single-use link): the address is confirmed and the event goes
 * to the moderation queue. Returns a magic-link token for managing the submissions.
 */
export async function confirmSubmission(
  ctx: Ctx,
  token: string,
): Promise<EventResult & { access_token: string }> {
  return withTransaction(ctx, async (tx) => {
    const row = await consumeEmailToken(tx, token, ["submission_confirm"]);
    const [submitter] = await tx.db.select().from(submitters).where(eq(submitters.id, row.submitterId!));
    await tx.db
      .update(submitters)
      .set({ confirmedAt: tx.clock.now() })
      .where(eq(submitters.id, submitter!.id));
    const event = await loadEvent(tx, row.eventId!);
    const actor: SubmitterActor = {
      kind: "submitter",
      submitterIds: [submitter!.id],
      email: submitter!.email,
    };
    const result = await submitEvent(tx, actor, event.id, event.version);
    const access = await issueEmailToken(tx, "submitter_access", { submitterId: submitter!.id });
    return { ...result, access_token: access };
  });
}

/** Emails a magic link to a confirmed submitter; answers the same for unknown addresses. */
export async function requestSubmitterAccess(ctx: Ctx, email: string): Promise<void> {
  // The same answer in the same time whether or not the address is known (../accounts/even-timing.ts).
  await withEvenTiming(() =>
    withTransaction(ctx, async (tx) => {
      const [s] = await tx.db
        .select()
        .from(submitters)
        .where(
          and(
            eq(submitters.email, normaliseEmail(email)),
            isNotNull(submitters.confirmedAt),
            isNull(submitters.deletedAt),
          ),
        )
        .orderBy(desc(submitters.createdAt))
        .limit(1);
      if (!s) return;
      const token = await issueEmailToken(tx, "submitter_access", { submitterId: s.id });
      await notify(tx, "submitter_access", s.email, s.locale, { path: `/ilmoita/omat?token=${token}` });
    }),
  );
}

/** The actor behind a magic link: every confirmed submitter record with that address. */
export async function submitterFromToken(ctx: Ctx, token: string): Promise<SubmitterActor | null> {
  const row = await findEmailToken(ctx, token, "submitter_access");
  if (!row?.submitterId) return null;
  const [s] = await ctx.db
    .select()
    .from(submitters)
    .where(and(eq(submitters.id, row.submitterId), isNull(submitters.deletedAt)));
  if (!s) return null;
  const all = await ctx.db
    .select({ id: submitters.id })
    .from(submitters)
    .where(
      and(eq(submitters.email, s.email), isNotNull(submitters.confirmedAt), isNull(submitters.deletedAt)),
    );
  return { kind: "submitter", submitterIds: all.map((r) => r.id), email: s.email };
}

/** The submitter's own events. */
export async function listSubmitterEvents(ctx: Ctx, actor: SubmitterActor) {
  const rows = await ctx.db
    .select()
    .from(events)
    .where(
      and(
        inArray(events.submitterId, actor.submitterIds),
        eq(events.municipalityId, ctx.tenant.id),
        isNull(events.deletedAt),
      ),
    )
    .orderBy(desc(events.createdAt));
  const out = [];
  for (const r of rows) {
    out.push({
      id: r.id,
      version: r.version,
      state: r.state,
      event_status: r.eventStatus,
      title: r.title,
      duplicates: await findDuplicates(ctx.db, r, actor),
    });
  }
  return out;
}

/**
 * "Cancel my submission": a published event is marked cancelled (residents must see
 * it); anything not yet published is deleted.
 */
export async function cancelSubmission(ctx: Ctx, actor: SubmitterActor, id: string, version: number) {
  return withTransaction(ctx, async (tx) => {
    const row = await loadEvent(tx, id);
    if (row.state === "published") return changeEventStatus(tx, actor, id, version, "cancel", null);
    await deleteEvent(tx, actor, id, version);
    return { id, deleted: true as const };
  });
}
