/**
 * A person's rights over their data (GDPR): export everything stored about them as
 * JSON, and close the account. Closing erases the personal data (including mail sent or
 * waiting to be sent to the address, and the address's rate-limit buckets); published
 * events stay, attributed to their organisation, and unpublished private drafts are deleted.
 */
import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import {
  emailTokens,
  events,
  memberships,
  moderationLog,
  municipalities,
  municipalityStaff,
  organisationInvitations,
  organisations,
  outbox,
  rateLimits,
  sessions,
  submitters,
  users,
} from "../../db/schema.ts";
import { type Actor, requireUser } from "../accounts/access.ts";
import { type Ctx, withTransaction } from "../context.ts";
import { Forbidden, NotFound } from "../errors.ts";
import { RATE_RULES, rateLimitKey } from "../rate-limit.ts";

export async function exportUserData(ctx: Ctx, actor: Actor) {
  const me = requireUser(actor);
  const [user] = await ctx.db.select().from(users).where(eq(users.id, me.userId));
  if (!user) throw new NotFound("User", me.userId);
  const orgs = await ctx.db
    .select({
      id: organisations.id,
      name: organisations.name,
      role: memberships.role,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.userId, me.userId));
  const staff = await ctx.db
    .select({
      id: municipalities.id,
      slug: municipalities.slug,
      role: municipalityStaff.role,
      since: municipalityStaff.createdAt,
    })
    .from(municipalityStaff)
    .innerJoin(municipalities, eq(municipalities.id, municipalityStaff.municipalityId))
    .where(eq(municipalityStaff.userId, me.userId));
  const sess = await ctx.db
    .select({
      created_at: sessions.createdAt,
      expires_at: sessions.expiresAt,
      revoked_at: sessions.revokedAt,
      user_agent: sessions.userAgent,
    })
    .from(sessions)
    .where(eq(sessions.userId, me.userId));
  const created = await ctx.db
    .select({ id: events.id, title: events.title, state: events.state, created_at: events.createdAt })
    .from(events)
    .where(and(eq(events.createdBy, me.userId), isNull(events.deletedAt)));
  const submissions = await ctx.db.select().from(submitters).where(eq(submitters.email, user.email));
  const actions = await ctx.db
    .select({
      event_id: moderationLog.eventId,
      action: moderationLog.action,
      reason: moderationLog.reason,
      at: moderationLog.createdAt,
    })
    .from(moderationLog)
    .where(eq(moderationLog.actorId, me.userId));
  return {
    exported_at: ctx.clock.now().toISOString(),
    user: {
      id: user.id,
      email: user.email,
      display_name: user.displayName,
      locale: user.locale,
      role: user.role,
      email_verified_at: user.emailVerifiedAt?.toISOString() ?? null,
      created_at: user.createdAt.toISOString(),
    },
    memberships: orgs.map((o) => ({
      organisation: { id: o.id, name: o.name },
      role: o.role,
      since: o.since.toISOString(),
    })),
    municipality_roles: staff.map((s) => ({
      municipality: { id: s.id, slug: s.slug },
      role: s.role,
      since: s.since.toISOString(),
    })),
    sessions: sess,
    events_created: created,
    anonymous_submissions: submissions.map((s) => ({
      name: s.name,
      email: s.email,
      created_at: s.createdAt,
      confirmed_at: s.confirmedAt,
    })),
    moderation_actions: actions,
  };
}

/**
 * Closes an account (the person themself, or an admin): erases name, email and
 * password, ends sessions and memberships, deletes unpublished private events, and
 * keeps published events attributed to their organisation.
 */
export async function deleteAccount(ctx: Ctx, actor: Actor, userId: string): Promise<void> {
  const me = requireUser(actor);
  if (me.userId !== userId && me.role !== "admin") throw new Forbidden("You can only close your own account");
  await withTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const [user] = await tx.db
      .select()
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)));
    if (!user) throw new NotFound("User", userId);
    await tx.db
      .update(events)
      .set({ deletedAt: now, updatedAt: now })
      .where(and(eq(events.createdBy, userId), isNull(events.organisationId), ne(events.state, "published")));
    await tx.db.update(events).set({ createdBy: null }).where(eq(events.createdBy, userId));
    await tx.db.delete(memberships).where(eq(memberships.userId, userId));
    await tx.db.delete(municipalityStaff).where(eq(municipalityStaff.userId, userId));
    await tx.db.delete(sessions).where(eq(sessions.userId, userId));
    await tx.db.delete(emailTokens).where(eq(emailTokens.userId, userId));
    await tx.db.delete(organisationInvitations).where(eq(organisationInvitations.email, user.email));
    // Anonymous submissions under the same address are theirs too.
    const subs = await tx.db
      .select({ id: submitters.id })
      .from(submitters)
      .where(eq(submitters.email, user.email));
    if (subs.length > 0) {
      await tx.db
        .update(submitters)
        .set({ name: "", email: `erased-${crypto.randomUUID()}@invalid`, deletedAt: now })
        .where(
          inArray(
            submitters.id,
            subs.map((s) => s.id),
          ),
        );
    }
    // Mail to the address, sent or not, and its rate-limit buckets (keyed by the address).
    await tx.db.delete(outbox).where(eq(outbox.recipient, user.email));
    const buckets = Object.values(RATE_RULES).map((rule) =>
      rateLimitKey(tx.config.sessionSecret, rule, user.email),
    );
    await tx.db.delete(rateLimits).where(inArray(rateLimits.key, buckets));
    await tx.db
      .update(users)
      .set({
        email: `deleted-${userId}@invalid`,
        displayName: "",
        passwordHash: null,
        emailVerifiedAt: null,
        deletedAt: now,
        updatedAt: now,
      })
      .where(eq(users.id, userId));
  });
}
