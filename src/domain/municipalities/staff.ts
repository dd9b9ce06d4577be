/**
 * A municipality's own staff (municipality_staff): moderators decide on its events, admins
 * also edit its site and manage its staff. Region admins and the municipality's admins invite
 * by email; like organisation invitations (../organisations/invitations.ts) nobody gets a role
 * until the invitee accepts through the emailed link, signed in with the invited address (or
 * by creating that account with the token). Only the token's SHA-256 is stored.
 */
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Locale, LocalizedText, MunicipalityRole } from "../../contract/codes.ts";
import { municipalities, municipalityStaff, staffInvitations, users } from "../../db/schema.ts";
import { type Actor, requireMunicipalityAdmin, requireUser, type UserActor } from "../accounts/access.ts";
import { normaliseEmail } from "../accounts/accounts.ts";
import { checkPasswordPolicy } from "../accounts/password-policy.ts";
import { hashPassword } from "../accounts/passwords.ts";
import { type RegionCtx, withTransaction } from "../context.ts";
import { Conflict, Forbidden, NotFound, ValidationError } from "../errors.ts";
import { pickText } from "../i18n-text.ts";
import { notify } from "../notifications/notifications.ts";
import { randomToken, sha256Hex } from "../secrets.ts";

export const STAFF_INVITATION_TTL_SECONDS = 7 * 24 * 3600;

/** The page an invitation mail links to (the organisation invitation page, in staff mode). */
export const STAFF_INVITATION_PATH = "/tili/kutsu?henkilokunta=1&token=";

export interface StaffInvitationView {
  id: string;
  email: string;
  role: MunicipalityRole;
  created_at: string;
  expires_at: string;
}

const invitationView = (i: typeof staffInvitations.$inferSelect): StaffInvitationView => ({
  id: i.id,
  email: i.email,
  role: i.role,
  created_at: i.createdAt.toISOString(),
  expires_at: i.expiresAt.toISOString(),
});

const invalidInvitation = () =>
  new ValidationError([{ path: "token", message: "is invalid, used, revoked or expired" }]);

const pendingFor = (municipalityId: string, now: Date) =>
  and(
    eq(staffInvitations.municipalityId, municipalityId),
    isNull(staffInvitations.acceptedAt),
    isNull(staffInvitations.revokedAt),
    gt(staffInvitations.expiresAt, now),
  );

async function loadMunicipality(ctx: RegionCtx, id: string) {
  const [row] = await ctx.db
    .select({ id: municipalities.id, slug: municipalities.slug, name: municipalities.name })
    .from(municipalities)
    .where(eq(municipalities.id, id));
  if (!row) throw new NotFound("Municipality", id);
  return row;
}

/**
 * Sends a staff invitation (no authorisation here: callers check it). Replaces an earlier
 * pending invitation to the same address; a 409 when the address is already on the staff.
 */
export async function inviteStaffIn(
  ctx: RegionCtx,
  inviter: UserActor | null,
  municipality: { id: string; name: LocalizedText },
  input: { email: string; role: MunicipalityRole; locale?: Locale | undefined },
): Promise<StaffInvitationView> {
  return withTransaction(ctx, async (tx) => {
    const email = normaliseEmail(input.email);
    const now = tx.clock.now();
    const [member] = await tx.db
      .select({ id: users.id })
      .from(municipalityStaff)
      .innerJoin(users, eq(users.id, municipalityStaff.userId))
      .where(
        and(
          eq(municipalityStaff.municipalityId, municipality.id),
          eq(users.email, email),
          isNull(users.deletedAt),
        ),
      );
    if (member) throw new Conflict("The person is already on the municipality's staff", { field: "email" });
    await tx.db
      .update(staffInvitations)
      .set({ revokedAt: now })
      .where(and(pendingFor(municipality.id, now), eq(staffInvitations.email, email)));
    const token = randomToken();
    const [row] = await tx.db
      .insert(staffInvitations)
      .values({
        municipalityId: municipality.id,
        email,
        role: input.role,
        tokenHash: await sha256Hex(token),
        invitedBy: inviter?.userId ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + STAFF_INVITATION_TTL_SECONDS * 1000),
      })
      .returning();
    const locale = input.locale ?? inviter?.locale ?? tx.config.defaultLocale;
    await notify(tx, "staff_invitation", email, locale, {
      path: `${STAFF_INVITATION_PATH}${token}`,
      municipality: pickText(municipality.name, locale as Locale)?.text ?? "",
      admin: input.role === "admin",
    });
    return invitationView(row!);
  });
}

/** The region admin or the municipality's admin invites someone to its staff. */
export async function inviteStaff(
  ctx: RegionCtx,
  actor: Actor,
  municipalityId: string,
  input: { email: string; role: MunicipalityRole; locale?: Locale | undefined },
): Promise<StaffInvitationView> {
  const admin = requireMunicipalityAdmin(actor, municipalityId);
  return withTransaction(ctx, async (tx) =>
    inviteStaffIn(tx, admin, await loadMunicipality(tx, municipalityId), input),
  );
}

/** The staff (by email) and the pending invitations of a municipality. */
export async function listStaff(ctx: RegionCtx, actor: Actor, municipalityId: string) {
  requireMunicipalityAdmin(actor, municipalityId);
  await loadMunicipality(ctx, municipalityId);
  const staff = await ctx.db
    .select({
      user_id: users.id,
      email: users.email,
      display_name: users.displayName,
      role: municipalityStaff.role,
      since: municipalityStaff.createdAt,
    })
    .from(municipalityStaff)
    .innerJoin(users, eq(users.id, municipalityStaff.userId))
    .where(and(eq(municipalityStaff.municipalityId, municipalityId), isNull(users.deletedAt)))
    .orderBy(asc(users.email));
  const invitations = await ctx.db
    .select()
    .from(staffInvitations)
    .where(pendingFor(municipalityId, ctx.clock.now()))
    .orderBy(asc(staffInvitations.createdAt));
  return {
    data: staff.map((s) => ({ ...s, since: s.since.toISOString() })),
    invitations: invitations.map(invitationView),
  };
}

export async function revokeStaffInvitation(
  ctx: RegionCtx,
  actor: Actor,
  municipalityId: string,
  id: string,
) {
  requireMunicipalityAdmin(actor, municipalityId);
  const [row] = await ctx.db
    .update(staffInvitations)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(staffInvitations.id, id), pendingFor(municipalityId, ctx.clock.now())))
    .returning({ id: staffInvitations.id });
  if (!row) throw new NotFound("Invitation", id);
}

/** The municipality's admins left after a change: it keeps at least one unless a region admin acts. */
async function keepsAnAdmin(ctx: RegionCtx, actor: UserActor, municipalityId: string, userId: string) {
  if (actor.role === "admin") return;
  const admins = await ctx.db
    .select({ userId: municipalityStaff.userId })
    .from(municipalityStaff)
    .where(and(eq(municipalityStaff.municipalityId, municipalityId), eq(municipalityStaff.role, "admin")));
  if (admins.every((a) => a.userId === userId)) {
    throw new Conflict("The municipality would have no admin left: appoint another admin first");
  }
}

export async function setStaffRole(
  ctx: RegionCtx,
  actor: Actor,
  municipalityId: string,
  userId: string,
  role: MunicipalityRole,
) {
  const admin = requireMunicipalityAdmin(actor, municipalityId);
  return withTransaction(ctx, async (tx) => {
    if (role !== "admin") await keepsAnAdmin(tx, admin, municipalityId, userId);
    const [row] = await tx.db
      .update(municipalityStaff)
      .set({ role })
      .where(and(eq(municipalityStaff.municipalityId, municipalityId), eq(municipalityStaff.userId, userId)))
      .returning();
    if (!row) throw new NotFound("Staff member", userId);
    return { user_id: row.userId, role: row.role };
  });
}

export async function removeStaff(ctx: RegionCtx, actor: Actor, municipalityId: string, userId: string) {
  const admin = requireMunicipalityAdmin(actor, municipalityId);
  await withTransaction(ctx, async (tx) => {
    await keepsAnAdmin(tx, admin, municipalityId, userId);
    const [row] = await tx.db
      .delete(municipalityStaff)
      .where(and(eq(municipalityStaff.municipalityId, municipalityId), eq(municipalityStaff.userId, userId)))
      .returning();
    if (!row) throw new NotFound("Staff member", userId);
  });
}

/** Operators (the CLI): gives an existing account a role in a municipality at once. */
export async function grantStaff(
  ctx: RegionCtx,
  municipalityId: string,
  email: string,
  role: MunicipalityRole,
): Promise<"granted" | "no-account"> {
  const [user] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, normaliseEmail(email)), isNull(users.deletedAt)));
  if (!user) return "no-account";
  await ctx.db
    .insert(municipalityStaff)
    .values({ municipalityId, userId: user.id, role, createdAt: ctx.clock.now() })
    .onConflictDoUpdate({
      target: [municipalityStaff.municipalityId, municipalityStaff.userId],
      set: { role },
    });
  return "granted";
}

// --- Accepting ----------------------------------------------------------------------------

async function byToken(ctx: RegionCtx, token: string) {
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .select({
      invitation: staffInvitations,
      municipality: { id: municipalities.id, slug: municipalities.slug, name: municipalities.name },
    })
    .from(staffInvitations)
    .innerJoin(municipalities, eq(municipalities.id, staffInvitations.municipalityId))
    .where(
      and(
        eq(staffInvitations.tokenHash, await sha256Hex(token)),
        isNull(staffInvitations.acceptedAt),
        isNull(staffInvitations.revokedAt),
        gt(staffInvitations.expiresAt, now),
      ),
    );
  if (!row) throw invalidInvitation();
  return row;
}

async function accountFor(ctx: RegionCtx, email: string) {
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)));
  return user ?? null;
}

const ref = (m: { id: string; slug: string; name: LocalizedText }) => ({
  id: m.id,
  slug: m.slug,
  name: m.name as Record<string, string>,
});

/** What the invitation page shows the holder of the token. */
export async function describeStaffInvitation(ctx: RegionCtx, actor: Actor, token: string) {
  const { invitation, municipality } = await byToken(ctx, token);
  const user = await accountFor(ctx, invitation.email);
  return {
    municipality: ref(municipality),
    role: invitation.role,
    email: invitation.email,
    expires_at: invitation.expiresAt.toISOString(),
    has_account: Boolean(user?.passwordHash),
    signed_in_as_invitee: actor.kind === "user" && actor.email === invitation.email,
  };
}

/** Marks the invitation used (one UPDATE, so a token works once) and adds the staff role. */
async function consume(tx: RegionCtx, invitationId: string, userId: string, municipalityId: string) {
  const now = tx.clock.now();
  const [used] = await tx.db
    .update(staffInvitations)
    .set({ acceptedAt: now })
    .where(
      and(
        eq(staffInvitations.id, invitationId),
        isNull(staffInvitations.acceptedAt),
        isNull(staffInvitations.revokedAt),
        gt(staffInvitations.expiresAt, now),
      ),
    )
    .returning();
  if (!used) throw invalidInvitation();
  await tx.db
    .insert(municipalityStaff)
    .values({ municipalityId, userId, role: used.role, createdAt: now })
    .onConflictDoUpdate({
      target: [municipalityStaff.municipalityId, municipalityStaff.userId],
      set: { role: used.role },
    });
  return used;
}

/** A signed-in invitee accepts; the session must be the invited address's account. */
export async function acceptStaffInvitation(ctx: RegionCtx, actor: Actor, token: string) {
  const me = requireUser(actor);
  return withTransaction(ctx, async (tx) => {
    const { invitation, municipality } = await byToken(tx, token);
    if (me.email !== invitation.email) {
      throw new Forbidden("This invitation was sent to another address: sign in with that address");
    }
    const used = await consume(tx, invitation.id, me.userId, municipality.id);
    return { municipality: ref(municipality), role: used.role };
  });
}

/**
 * A person without an account accepts: chooses a name and a password; the account is created
 * with the address confirmed (the token proved it). An address with an account signs in instead.
 */
export async function acceptStaffInvitationWithNewAccount(
  ctx: RegionCtx,
  input: { token: string; password: string; display_name: string; locale?: Locale | undefined },
  iterations?: number,
): Promise<{ email: string }> {
  const { invitation } = await byToken(ctx, input.token);
  checkPasswordPolicy(input.password, invitation.email);
  const passwordHash = await hashPassword(input.password, iterations);
  return withTransaction(ctx, async (tx) => {
    const { invitation, municipality } = await byToken(tx, input.token);
    const now = tx.clock.now();
    const existing = await accountFor(tx, invitation.email);
    if (existing) throw new Conflict("This address has an account: sign in to accept");
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
    await consume(tx, invitation.id, created!.id, municipality.id);
    return { email: invitation.email };
  });
}
