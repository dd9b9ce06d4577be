/**
 * Organisations and their people: organisation admins invite and remove members and
 * manage API tokens (hashed at rest, shown once, revocable); moderators mark
 * organisations trusted; platform admins create organisations and manage users.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import { apiTokens, events, memberships, organisations, users } from "../db/schema.ts";
import { type Actor, requireAdmin, requireModerator, requireOrgAdmin, type TokenActor } from "./access.ts";
import { normaliseEmail } from "./accounts.ts";
import type { Locale, MembershipRole, OrganisationKind, UserRole } from "./codes.ts";
import { type Ctx, withTransaction } from "./context.ts";
import { issueEmailToken } from "./email-tokens.ts";
import { Conflict, NotFound } from "./errors.ts";
import { notify } from "./notifications.ts";
import { refreshSearchVectors } from "./search.ts";
import { randomToken, sha256Hex } from "./secrets.ts";

async function loadOrganisation(ctx: Ctx, id: string) {
  const [org] = await ctx.db
    .select()
    .from(organisations)
    .where(and(eq(organisations.id, id), isNull(organisations.deletedAt)));
  if (!org) throw new NotFound("Organisation", id);
  return org;
}

export async function listMembers(ctx: Ctx, actor: Actor, organisationId: string) {
  requireOrgAdmin(actor, organisationId);
  await loadOrganisation(ctx, organisationId);
  const rows = await ctx.db
    .select({
      id: users.id,
      email: users.email,
      name: users.displayName,
      role: memberships.role,
      verified: users.emailVerifiedAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, organisationId), isNull(users.deletedAt)))
    .orderBy(asc(users.displayName));
  return rows.map((r) => ({
    user_id: r.id,
    email: r.email,
    display_name: r.name,
    role: r.role,
    active: r.verified !== null,
  }));
}

/**
 * Adds a member. An existing account is added and told so; for a new address an
 * account is created and an invitation link (to choose a password) is emailed.
 */
export async function inviteMember(
  ctx: Ctx,
  actor: Actor,
  organisationId: string,
  input: { email: string; role: MembershipRole; locale?: Locale | undefined },
): Promise<{ user_id: string; invited: boolean }> {
  requireOrgAdmin(actor, organisationId);
  return withTransaction(ctx, async (tx) => {
    const org = await loadOrganisation(tx, organisationId);
    const email = normaliseEmail(input.email);
    const now = tx.clock.now();
    let [user] = await tx.db.select().from(users).where(eq(users.email, email));
    if (user?.deletedAt) throw new Conflict("This address belongs to a closed account");
    const invited = !user;
    if (!user) {
      [user] = await tx.db
        .insert(users)
        .values({
          email,
          displayName: email.split("@")[0] ?? email,
          locale: input.locale ?? tx.config.defaultLocale,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
    }
    const u = user!;
    const [existing] = await tx.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, u.id), eq(memberships.organisationId, organisationId)));
    if (existing) throw new Conflict("The person is already a member");
    await tx.db
      .insert(memberships)
      .values({ userId: u.id, organisationId, role: input.role, createdAt: now });
    if (invited) {
      const token = await issueEmailToken(tx, "invitation", { userId: u.id });
      await notify(tx, "invitation", email, u.locale, {
        path: `/tili/kutsu?token=${token}`,
        organisation: org.name,
      });
    } else {
      await notify(tx, "membership_added", email, u.locale, { path: "/omat", organisation: org.name });
    }
    return { user_id: u.id, invited };
  });
}

export async function setMemberRole(
  ctx: Ctx,
  actor: Actor,
  organisationId: string,
  userId: string,
  role: MembershipRole,
) {
  requireOrgAdmin(actor, organisationId);
  const [row] = await ctx.db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId)))
    .returning();
  if (!row) throw new NotFound("Membership", userId);
}

export async function removeMember(ctx: Ctx, actor: Actor, organisationId: string, userId: string) {
  requireOrgAdmin(actor, organisationId);
  const [row] = await ctx.db
    .delete(memberships)
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId)))
    .returning();
  if (!row) throw new NotFound("Membership", userId);
}

/** Creates an API token; the plain token is returned this once and never stored. */
export async function createApiToken(ctx: Ctx, actor: Actor, organisationId: string, name: string) {
  const user = requireOrgAdmin(actor, organisationId);
  await loadOrganisation(ctx, organisationId);
  const token = randomToken("kk_");
  const [row] = await ctx.db
    .insert(apiTokens)
    .values({
      organisationId,
      name,
      prefix: token.slice(0, 10),
      tokenHash: await sha256Hex(token),
      createdBy: user.userId,
      createdAt: ctx.clock.now(),
    })
    .returning();
  return { id: row!.id, name, prefix: row!.prefix, token, created_at: row!.createdAt.toISOString() };
}

export async function listApiTokens(ctx: Ctx, actor: Actor, organisationId: string) {
  requireOrgAdmin(actor, organisationId);
  const rows = await ctx.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.organisationId, organisationId))
    .orderBy(asc(apiTokens.createdAt));
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    created_at: t.createdAt.toISOString(),
    last_used_at: t.lastUsedAt?.toISOString() ?? null,
    revoked_at: t.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeApiToken(ctx: Ctx, actor: Actor, organisationId: string, tokenId: string) {
  requireOrgAdmin(actor, organisationId);
  const [row] = await ctx.db
    .update(apiTokens)
    .set({ revokedAt: ctx.clock.now() })
    .where(
      and(
        eq(apiTokens.id, tokenId),
        eq(apiTokens.organisationId, organisationId),
        isNull(apiTokens.revokedAt),
      ),
    )
    .returning();
  if (!row) throw new NotFound("API token", tokenId);
}

/** The actor behind a bearer token, or null when it is unknown or revoked. */
export async function actorFromApiToken(ctx: Ctx, token: string): Promise<TokenActor | null> {
  const [row] = await ctx.db
    .select({ id: apiTokens.id, organisationId: apiTokens.organisationId })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
    .where(
      and(
        eq(apiTokens.tokenHash, await sha256Hex(token)),
        isNull(apiTokens.revokedAt),
        isNull(organisations.deletedAt),
      ),
    );
  if (!row) return null;
  await ctx.db.update(apiTokens).set({ lastUsedAt: ctx.clock.now() }).where(eq(apiTokens.id, row.id));
  return { kind: "token", tokenId: row.id, organisationId: row.organisationId };
}

export interface OrganisationPatch {
  name?: string | undefined;
  description?: Partial<Record<Locale, string>> | undefined;
  website?: string | null | undefined;
  public_email?: string | null | undefined;
  contact_email?: string | null | undefined;
  contact_phone?: string | null | undefined;
}

/** Organisation admins edit their organisation's details. */
export async function updateOrganisation(ctx: Ctx, actor: Actor, id: string, patch: OrganisationPatch) {
  requireOrgAdmin(actor, id);
  return withTransaction(ctx, async (tx) => {
    await loadOrganisation(tx, id);
    const [row] = await tx.db
      .update(organisations)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.website !== undefined ? { website: patch.website } : {}),
        ...(patch.public_email !== undefined ? { publicEmail: patch.public_email } : {}),
        ...(patch.contact_email !== undefined ? { contactEmail: patch.contact_email } : {}),
        ...(patch.contact_phone !== undefined ? { contactPhone: patch.contact_phone } : {}),
        updatedAt: tx.clock.now(),
      })
      .where(eq(organisations.id, id))
      .returning();
    if (patch.name !== undefined) await refreshOrganisationEvents(tx, id);
    return organisationView(row!);
  });
}

async function refreshOrganisationEvents(ctx: Ctx, organisationId: string) {
  const ids = await ctx.db
    .select({ id: events.id })
    .from(events)
    .where(eq(events.organisationId, organisationId));
  await refreshSearchVectors(
    ctx.db,
    ids.map((r) => r.id),
  );
}

export const organisationView = (o: typeof organisations.$inferSelect) => ({
  id: o.id,
  slug: o.slug,
  name: o.name,
  kind: o.kind,
  description: o.description,
  website: o.website,
  public_email: o.publicEmail,
  contact_email: o.contactEmail,
  contact_phone: o.contactPhone,
  trusted: o.trusted,
});

/** Moderators mark an organisation trusted (its members then publish directly) or not. */
export async function setTrusted(ctx: Ctx, actor: Actor, id: string, trusted: boolean) {
  requireModerator(actor);
  await loadOrganisation(ctx, id);
  const [row] = await ctx.db
    .update(organisations)
    .set({ trusted, updatedAt: ctx.clock.now() })
    .where(eq(organisations.id, id))
    .returning();
  return organisationView(row!);
}

export async function createOrganisation(
  ctx: Ctx,
  actor: Actor,
  input: OrganisationPatch & {
    slug: string;
    name: string;
    kind: OrganisationKind;
    trusted?: boolean | undefined;
  },
) {
  requireAdmin(actor);
  const [clash] = await ctx.db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.slug, input.slug));
  if (clash) throw new Conflict(`The slug ${input.slug} is taken`);
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .insert(organisations)
    .values({
      slug: input.slug,
      name: input.name,
      kind: input.kind,
      description: input.description ?? {},
      website: input.website ?? null,
      publicEmail: input.public_email ?? null,
      contactEmail: input.contact_email ?? null,
      contactPhone: input.contact_phone ?? null,
      trusted: input.trusted ?? false,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return organisationView(row!);
}

/** Admins close an organisation; its published events stay, under its name. */
export async function deleteOrganisation(ctx: Ctx, actor: Actor, id: string) {
  requireAdmin(actor);
  await loadOrganisation(ctx, id);
  await ctx.db.update(organisations).set({ deletedAt: ctx.clock.now() }).where(eq(organisations.id, id));
}

export async function listUsers(ctx: Ctx, actor: Actor, opts: { limit: number; offset: number }) {
  requireAdmin(actor);
  const rows = await ctx.db
    .select()
    .from(users)
    .where(isNull(users.deletedAt))
    .orderBy(asc(users.email))
    .limit(opts.limit)
    .offset(opts.offset);
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    display_name: u.displayName,
    role: u.role,
    locale: u.locale,
    email_verified: u.emailVerifiedAt !== null,
    created_at: u.createdAt.toISOString(),
  }));
}

/** Admins change a user's role or name (sessions read the role afresh on every request). */
export async function updateUser(
  ctx: Ctx,
  actor: Actor,
  id: string,
  patch: { role?: UserRole | undefined; display_name?: string | undefined },
) {
  requireAdmin(actor);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(users)
      .set({
        ...(patch.role ? { role: patch.role } : {}),
        ...(patch.display_name ? { displayName: patch.display_name } : {}),
        updatedAt: tx.clock.now(),
      })
      .where(and(eq(users.id, id), isNull(users.deletedAt)))
      .returning();
    if (!row) throw new NotFound("User", id);
    return { id: row.id, email: row.email, display_name: row.displayName, role: row.role };
  });
}
