/**
 * Invitations to an organisation. An organisation admin invites an email address; nobody
 * is added until the invitee accepts through the emailed link. Inviting does the same work
 * and answers the same whether or not the address has an account (no account is looked up
 * at all), so it cannot be used to probe for accounts or to add people without consent.
 *
 * Accepting: the token proves that the person reads mail at the invited address. An
 * existing account must also be signed in as that address, so a forwarded or leaked link
 * cannot attach the organisation to someone else's session, and nobody is signed in to an
 * account by a link alone. A new person chooses a name and a password with the token
 * (which also confirms the address) and then signs in.
 */
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Locale, MembershipRole } from "../../contract/codes.ts";
import { memberships, organisationInvitations, organisations, users } from "../../db/schema.ts";
import { type Actor, requireOrgAdmin, requireUser } from "../accounts/access.ts";
import { normaliseEmail } from "../accounts/accounts.ts";
import { hashPassword } from "../accounts/passwords.ts";
import { type Ctx, withTransaction } from "../context.ts";
import { Conflict, Forbidden, NotFound, ValidationError } from "../errors.ts";
import { notify } from "../notifications/notifications.ts";
import { randomToken, sha256Hex } from "../secrets.ts";
import { loadOrganisation } from "./organisations.ts";

export const INVITATION_TTL_SECONDS = 7 * 24 * 3600;

const invalidInvitation = () =>
  new ValidationError([{ path: "token", message: "is invalid, used, revoked or expired" }]);

export interface InvitationView {
  id: string;
  email: string;
  role: MembershipRole;
  created_at: string;
  expires_at: string;
}

const view = (i: typeof organisationInvitations.$inferSelect): InvitationView => ({
  id: i.id,
  email: i.email,
  role: i.role,
  created_at: i.createdAt.toISOString(),
  expires_at: i.expiresAt.toISOString(),
});

/**
 * Invites an address (org admins). Replaces an earlier pending invitation to the same
 * address. A 409 only when the address belongs to a current member (the admin sees the
 * member list anyway); otherwise the answer is the same for every address.
 */
export async function inviteMember(
  ctx: Ctx,
  actor: Actor,
  organisationId: string,
  input: { email: string; role: MembershipRole; locale?: Locale | undefined },
): Promise<InvitationView> {
  const admin = requireOrgAdmin(actor, organisationId);
  return withTransaction(ctx, async (tx) => {
    const org = await loadOrganisation(tx, organisationId);
    const email = normaliseEmail(input.email);
    const now = tx.clock.now();
    const [member] = await tx.db
      .select({ id: users.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(eq(memberships.organisationId, organisationId), eq(users.email, email), isNull(users.deletedAt)),
      );
    if (member) throw new Conflict("The person is already a member");
    await tx.db
      .update(organisationInvitations)
      .set({ revokedAt: now })
      .where(and(pendingFor(organisationId, now), eq(organisationInvitations.email, email)));
    const token = randomToken();
    const [row] = await tx.db
      .insert(organisationInvitations)
      .values({
        organisationId,
        email,
        role: input.role,
        tokenHash: await sha256Hex(token),
        invitedBy: admin.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_SECONDS * 1000),
      })
      .returning();
    await notify(tx, "invitation", email, input.locale ?? admin.locale, {
      path: `/tili/kutsu?token=${token}`,
      organisation: org.name,
    });
    return view(row!);
  });
}

const pendingFor = (organisationId: string, now: Date) =>
  and(
    eq(organisationInvitations.organisationId, organisationId),
    isNull(organisationInvitations.acceptedAt),
    isNull(organisationInvitations.revokedAt),
    gt(organisationInvitations.expiresAt, now),
  );

/** Pending (not accepted, revoked or expired) invitations of an organisation, oldest first. */
export async function listInvitations(ctx: Ctx, actor: Actor, organisationId: string) {
  requireOrgAdmin(actor, organisationId);
  await loadOrganisation(ctx, organisationId);
  const rows = await ctx.db
    .select()
    .from(organisationInvitations)
    .where(pendingFor(organisationId, ctx.clock.now()))
    .orderBy(asc(organisationInvitations.createdAt));
  return rows.map(view);
}

export async function revokeInvitation(ctx: Ctx, actor: Actor, organisationId: string, id: string) {
  requireOrgAdmin(actor, organisationId);
  const [row] = await ctx.db
    .update(organisationInvitations)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(organisationInvitations.id, id), pendingFor(organisationId, ctx.clock.now())))
    .returning({ id: organisationInvitations.id });
  if (!row) throw new NotFound("Invitation", id);
}

/** A live invitation and its organisation by token, or a 400 naming `token`. */
async function byToken(ctx: Ctx, token: string) {
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .select({ invitation: organisationInvitations, org: organisations })
    .from(organisationInvitations)
    .innerJoin(organisations, eq(organisations.id, organisationInvitations.organisationId))
    .where(
      and(
        eq(organisationInvitations.tokenHash, await sha256Hex(token)),
        isNull(organisationInvitations.acceptedAt),
        isNull(organisationInvitations.revokedAt),
        gt(organisationInvitations.expiresAt, now),
        isNull(organisations.deletedAt),
      ),
    );
  if (!row) throw invalidInvitation();
  return row;
}

/** An account that can sign in (a legacy invited account without a password does not count). */
async function accountFor(ctx: Ctx, email: string) {
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)));
  return user ?? null;
}

/**
 * What the invitation page shows the holder of the token: the organisation, the role, the
 * invited address and whether it already has an account (the holder received the link at
 * that address, so this tells them nothing about anyone else).
 */
export async function describeInvitation(ctx: Ctx, actor: Actor, token: string) {
  const { invitation, org } = await byToken(ctx, token);
  const user = await accountFor(ctx, invitation.email);
  return {
    organisation: { id: org.id, slug: org.slug, name: org.name },
    role: invitation.role,
    email: invitation.email,
    expires_at: invitation.expiresAt.toISOString(),
    has_account: Boolean(user?.passwordHash),
    signed_in_as_invitee: actor.kind === "user" && actor.email === invitation.email,
  };
}

/** Marks the invitation accepted (one UPDATE, so a token works once) and adds the membership. */
async function consume(tx: Ctx, invitationId: string, userId: string, organisationId: string) {
  const now = tx.clock.now();
  const [used] = await tx.db
    .update(organisationInvitations)
    .set({ acceptedAt: now })
    .where(
      and(
        eq(organisationInvitations.id, invitationId),
        isNull(organisationInvitations.acceptedAt),
        isNull(organisationInvitations.revokedAt),
        gt(organisationInvitations.expiresAt, now),
      ),
    )
    .returning();
  if (!used) throw invalidInvitation();
  await tx.db
    .insert(memberships)
    .values({ userId, organisationId, role: used.role, createdAt: now })
    .onConflictDoNothing();
  return used;
}

/** A signed-in invitee accepts; the session must be the invited address's account. */
export async function acceptInvitation(ctx: Ctx, actor: Actor, token: string) {
  const me = requireUser(actor);
  return withTransaction(ctx, async (tx) => {
    const { invitation, org } = await byToken(tx, token);
    if (me.email !== invitation.email) {
      throw new Forbidden("This invitation was sent to another address: sign in with that address");
    }
    const used = await consume(tx, invitation.id, me.userId, org.id);
    return { organisation: { id: org.id, slug: org.slug, name: org.name }, role: used.role };
  });
}

/**
 * A person without an account accepts: chooses a name and a password; the account is
 * created with the address confirmed (the token proved it) and joins the organisation.
 * An address that already has an account must sign in and accept instead (409).
 * Returns the address, so the page can sign the person in.
 */
export async function acceptInvitationWithNewAccount(
  ctx: Ctx,
  input: { token: string; password: string; display_name: string; locale?: Locale | undefined },
  iterations?: number,
): Promise<{ email: string }> {
  // A wrong token costs no password hashing (the endpoint is open to anyone).
  await byToken(ctx, input.token);
  const passwordHash = await hashPassword(input.password, iterations);
  return withTransaction(ctx, async (tx) => {
    const { invitation, org } = await byToken(tx, input.token);
    const now = tx.clock.now();
    const existing = await accountFor(tx, invitation.email);
    if (existing?.passwordHash) throw new Conflict("This address has an account: sign in to accept");
    let userId: string;
    if (existing) {
      // An account an earlier version created at invitation time, never activated.
      await tx.db
        .update(users)
        .set({
          passwordHash,
          displayName: input.display_name,
          emailVerifiedAt: existing.emailVerifiedAt ?? now,
          updatedAt: now,
        })
        .where(eq(users.id, existing.id));
      userId = existing.id;
    } else {
      const [created] = await tx.db
        .insert(users)
        .values({
          email: invitation.email,
          passwordHash,
          displayName: input.display_name,
          locale: input.locale ?? tx.config.defaultLocale,
          role: "organiser",
          emailVerifiedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: users.id });
      userId = created!.id;
    }
    await consume(tx, invitation.id, userId, org.id);
    return { email: invitation.email };
  });
}
