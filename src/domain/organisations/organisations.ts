/**
 * Organisations and their people: organisation admins invite and remove members and
 * manage API tokens (hashed at rest, shown once, revocable); moderators mark
 * organisations trusted; platform admins create organisations and manage users.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import { httpUrlProblem } from "../../contract/api/http-url.ts";
import type { Locale, MembershipRole, OrganisationKind, UserRole } from "../../contract/codes.ts";
import { apiTokens, events, memberships, moderationLog, organisations, users } from "../../db/schema.ts";
import {
  type Actor,
  isModeratorOf,
  logActor,
  requireAdmin,
  requireModeratorOf,
  requireOrgAdmin,
  requireRegionModerator,
  type TokenActor,
} from "../accounts/access.ts";
import { type Ctx, withTransaction } from "../context.ts";
import { Conflict, NotFound, ValidationError } from "../errors.ts";
import { refreshSearchVectors } from "../events/search.ts";
import { moderatorsOf, notify } from "../notifications/notifications.ts";
import { randomToken, sha256Hex } from "../secrets.ts";

/** The organisation, unless it is unknown or closed (NotFound). */
export async function loadOrganisation(ctx: Ctx, id: string) {
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

/** The fields of an organisation that residents see (API, pages, feeds). */
export const PUBLIC_PROFILE_FIELDS = ["name", "description", "website", "public_email"] as const;
export type ProfileField = (typeof PUBLIC_PROFILE_FIELDS)[number];
export type ProfileValues = Partial<Record<ProfileField, unknown>>;
type OrganisationRow = typeof organisations.$inferSelect;

const COLUMN = {
  name: "name",
  description: "description",
  website: "website",
  public_email: "publicEmail",
} as const satisfies Record<ProfileField, keyof OrganisationRow>;

/** The approved, public profile as stored in the organisation's columns. */
export const publicProfile = (o: OrganisationRow): Record<ProfileField, unknown> => ({
  name: o.name,
  description: o.description,
  website: o.website,
  public_email: o.publicEmail,
});

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A URL the caller gives is checked here too, whatever the route (see http-url.ts). */
function checkWebsite(website: string | null | undefined) {
  const problem = website ? httpUrlProblem(website) : null;
  if (problem) throw new ValidationError([{ path: "website", message: problem }]);
}

/**
 * Organisation admins edit their organisation's details. The private contact (email,
 * phone) changes at once. The public profile (name, description, website, public email)
 * changes at once for a trusted organisation or when staff edit it; for any other
 * organisation the change is held as `pending_profile` until a moderator approves it,
 * and the public API, pages and feeds keep showing the approved version.
 */
export async function updateOrganisation(ctx: Ctx, actor: Actor, id: string, patch: OrganisationPatch) {
  const user = requireOrgAdmin(actor, id);
  checkWebsite(patch.website);
  return withTransaction(ctx, async (tx) => {
    const org = await loadOrganisation(tx, id);
    const now = tx.clock.now();
    const direct = org.trusted || isModeratorOf(user, tx.tenant);
    const approved = publicProfile(org);
    const pending: ProfileValues = { ...(org.pendingProfile ?? {}) };
    const set: Partial<OrganisationRow> = {
      ...(patch.contact_email !== undefined ? { contactEmail: patch.contact_email } : {}),
      ...(patch.contact_phone !== undefined ? { contactPhone: patch.contact_phone } : {}),
      updatedAt: now,
    };
    const published: ProfileValues = {};
    for (const field of PUBLIC_PROFILE_FIELDS) {
      const value = patch[field];
      if (value === undefined) continue;
      if (direct || same(value, approved[field])) {
        // Published now (or back to the approved value): nothing of it is pending any more.
        delete pending[field];
        if (direct && !same(value, approved[field])) published[field] = value;
      } else {
        pending[field] = value;
      }
    }
    for (const [field, value] of Object.entries(published)) {
      Object.assign(set, { [COLUMN[field as ProfileField]]: value });
    }
    const pendingProfile = Object.keys(pending).length > 0 ? pending : null;
    const proposed = !same(pendingProfile, org.pendingProfile);
    set.pendingProfile = pendingProfile;
    if (proposed || !pendingProfile) set.profileSubmittedAt = pendingProfile ? now : null;
    const [row] = await tx.db.update(organisations).set(set).where(eq(organisations.id, id)).returning();
    if (Object.keys(published).length > 0) {
      await logOrganisation(tx, actor, row!, "edit_profile", approved, publicProfile(row!), null);
    }
    if (!direct && proposed && pendingProfile) {
      await logOrganisation(tx, actor, row!, "propose_profile", approved, pendingProfile, null);
      await notifyModeratorsOfProfile(tx, row!);
    }
    if (published.name !== undefined) await refreshOrganisationEvents(tx, id);
    return organisationView(row!);
  });
}

/** One moderation log entry about an organisation (event_id null; the id is in before/after). */
export async function logOrganisation(
  ctx: Ctx,
  actor: Actor,
  org: OrganisationRow,
  action: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  reason: string | null,
) {
  await ctx.db.insert(moderationLog).values({
    municipalityId: ctx.tenant.id,
    eventId: null,
    ...logActor(actor),
    action,
    reason,
    before: { organisation_id: org.id, name: org.name, ...before },
    after: { organisation_id: org.id, name: org.name, ...after },
    createdAt: ctx.clock.now(),
  });
}

async function notifyModeratorsOfProfile(ctx: Ctx, org: OrganisationRow) {
  const staff = await moderatorsOf(ctx, ctx.tenant.id);
  for (const m of staff) {
    await notify(ctx, "moderation_profile_submitted", m.email, m.locale, {
      path: "/moderointi/organisaatiot",
      organisation: org.name,
    });
  }
}

export interface ProfileChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Field-by-field differences of a pending profile against the approved one ("description.fi"). */
export function profileChanges(o: OrganisationRow): ProfileChange[] {
  const pending = (o.pendingProfile ?? {}) as ProfileValues;
  const approved = publicProfile(o);
  const out: ProfileChange[] = [];
  for (const field of PUBLIC_PROFILE_FIELDS) {
    if (!(field in pending)) continue;
    if (field === "description") {
      const a = (approved.description ?? {}) as Record<string, unknown>;
      const b = (pending.description ?? {}) as Record<string, unknown>;
      for (const lang of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        if (!same(a[lang], b[lang])) {
          out.push({ field: `description.${lang}`, before: a[lang] ?? null, after: b[lang] ?? null });
        }
      }
    } else if (!same(approved[field], pending[field])) {
      out.push({ field, before: approved[field] ?? null, after: pending[field] ?? null });
    }
  }
  return out;
}

/**
 * A moderator approves (the pending profile becomes the public one) or rejects (it is
 * dropped; the reason goes to the organisation's admins) a pending profile change.
 * `submittedAt` is the pending version the moderator looked at: a newer one is a 409.
 */
export async function decideProfile(
  ctx: Ctx,
  actor: Actor,
  id: string,
  decision: "approve" | "reject",
  submittedAt: string,
  reason: string | null,
) {
  requireModeratorOf(actor, ctx.tenant);
  return withTransaction(ctx, async (tx) => {
    const org = await loadOrganisation(tx, id);
    if (!org.pendingProfile || !org.profileSubmittedAt) {
      throw new Conflict("The organisation has no pending profile change");
    }
    if (org.profileSubmittedAt.getTime() !== new Date(submittedAt).getTime()) {
      throw new Conflict("The organisation changed its profile again: reload and look at the new version");
    }
    const approved = publicProfile(org);
    const pending = org.pendingProfile as ProfileValues;
    const set: Partial<OrganisationRow> = {
      pendingProfile: null,
      profileSubmittedAt: null,
      updatedAt: tx.clock.now(),
    };
    if (decision === "approve") {
      for (const field of PUBLIC_PROFILE_FIELDS) {
        if (field in pending) Object.assign(set, { [COLUMN[field]]: pending[field] ?? null });
      }
    }
    const [row] = await tx.db.update(organisations).set(set).where(eq(organisations.id, id)).returning();
    await logOrganisation(
      tx,
      actor,
      org,
      decision === "approve" ? "approve_profile" : "reject_profile",
      approved,
      decision === "approve" ? publicProfile(row!) : pending,
      reason,
    );
    if (decision === "approve" && "name" in pending) await refreshOrganisationEvents(tx, id);
    await notifyOrganisationAdmins(
      tx,
      row!,
      decision === "approve" ? "profile_approved" : "profile_rejected",
      {
        ...(reason ? { reason } : {}),
      },
    );
    return organisationView(row!);
  });
}

/** Notifies an organisation's admins (or, without any, its private contact address). */
async function notifyOrganisationAdmins(
  ctx: Ctx,
  org: OrganisationRow,
  kind: string,
  extra: { reason?: string },
) {
  const admins = await ctx.db
    .select({ email: users.email, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(eq(memberships.organisationId, org.id), eq(memberships.role, "admin"), isNull(users.deletedAt)),
    );
  const to = admins.length
    ? admins
    : org.contactEmail
      ? [{ email: org.contactEmail, locale: ctx.config.defaultLocale as string }]
      : [];
  for (const a of to) {
    await notify(ctx, kind, a.email, a.locale, { path: "/tili", organisation: org.name, ...extra });
  }
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
  /** Public profile changes waiting for a moderator (untrusted organisations), or null. */
  pending_profile: o.pendingProfile ?? null,
  profile_submitted_at: o.profileSubmittedAt?.toISOString() ?? null,
});

/** Moderators mark an organisation trusted (its members then publish directly) or not. */
export async function setTrusted(ctx: Ctx, actor: Actor, id: string, trusted: boolean) {
  requireRegionModerator(actor);
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
  checkWebsite(input.website);
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
