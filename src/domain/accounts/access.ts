/**
 * Who is acting, and what they may do. An actor is resolved once per request (session
 * cookie, API token or submitter magic link) and passed into domain commands.
 */
import type { Locale, MembershipRole, MunicipalityRole, UserRole } from "../../contract/codes.ts";
import { Forbidden, Unauthorized } from "../errors.ts";

export interface UserActor {
  kind: "user";
  userId: string;
  email: string;
  displayName: string;
  locale: Locale;
  role: UserRole;
  /** organisation id → membership role */
  memberships: Map<string, MembershipRole>;
  /** municipality id → the user's role in that municipality's staff (municipality_staff) */
  staff: Map<string, MunicipalityRole>;
  sessionId?: string;
}

export interface TokenActor {
  kind: "token";
  tokenId: string;
  organisationId: string;
}

export interface SubmitterActor {
  kind: "submitter";
  /** Every submitter record with the confirmed email address the magic link was sent to. */
  submitterIds: string[];
  email: string;
}

export type Actor = { kind: "anonymous" } | UserActor | TokenActor | SubmitterActor;

export const ANONYMOUS: Actor = { kind: "anonymous" };

/** The owner fields of an event that decide who may act on it. */
export interface Ownership {
  organisationId: string | null;
  createdBy: string | null;
  submitterId: string | null;
}

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== "user") throw new Unauthorized();
  return actor;
}

/**
 * A regional moderator or a region admin (users.role): they act in every municipality. In a
 * region of one (every installation before #21) these are simply the moderators and admins.
 */
export function isRegionModerator(actor: Actor): boolean {
  return actor.kind === "user" && (actor.role === "moderator" || actor.role === "admin");
}

/** A region admin (users.role = admin): manages the municipalities and every one of them. */
export function isRegionAdmin(actor: Actor): boolean {
  return actor.kind === "user" && actor.role === "admin";
}

/** May the actor moderate in this municipality (its own staff, or regional)? */
export function isModeratorOf(actor: Actor, tenant: { id: string }): boolean {
  return isRegionModerator(actor) || (actor.kind === "user" && actor.staff.has(tenant.id));
}

/** May the actor administer this municipality (its own admin, or a region admin)? */
export function isMunicipalityAdminOf(actor: Actor, municipalityId: string): boolean {
  return isRegionAdmin(actor) || (actor.kind === "user" && actor.staff.get(municipalityId) === "admin");
}

/**
 * Moderation in the municipality whose site the request is for (ctx.tenant): its own
 * moderators and admins, and the regional ones. A moderator of A on B's site gets a 403.
 */
export function requireModeratorOf(actor: Actor, tenant: { id: string }): UserActor {
  const user = requireUser(actor);
  if (!isModeratorOf(user, tenant)) throw new Forbidden("Only this municipality's moderators can do this");
  return user;
}

/** Regional moderators (and region admins) only: decisions that hold in every municipality. */
export function requireRegionModerator(actor: Actor): UserActor {
  const user = requireUser(actor);
  if (!isRegionModerator(user)) throw new Forbidden("Only regional moderators can do this");
  return user;
}

/** The municipality's own admins and the region admins. */
export function requireMunicipalityAdmin(actor: Actor, municipalityId: string): UserActor {
  const user = requireUser(actor);
  if (!isMunicipalityAdminOf(user, municipalityId)) {
    throw new Forbidden("Only the municipality's administrators can do this");
  }
  return user;
}

/** Region admins only (users.role = admin). */
export function requireAdmin(actor: Actor): UserActor {
  const user = requireUser(actor);
  if (user.role !== "admin") throw new Forbidden("Only administrators can do this");
  return user;
}

/** Organisation admins and platform admins manage an organisation's members and tokens. */
export function requireOrgAdmin(actor: Actor, organisationId: string): UserActor {
  const user = requireUser(actor);
  if (user.role === "admin" || user.memberships.get(organisationId) === "admin") return user;
  throw new Forbidden("Only the organisation's administrators can do this");
}

/** May the actor write events on behalf of this organisation (or privately, when null)? */
export function canWriteFor(actor: Actor, organisationId: string | null): boolean {
  if (actor.kind === "token") return organisationId === actor.organisationId;
  if (actor.kind !== "user") return false;
  if (actor.role === "admin") return true;
  return organisationId === null || actor.memberships.has(organisationId);
}

/** May the actor edit, submit, withdraw, cancel or postpone this event as its organiser? */
export function ownsEvent(actor: Actor, e: Ownership): boolean {
  switch (actor.kind) {
    case "token":
      return e.organisationId === actor.organisationId;
    case "submitter":
      return e.submitterId !== null && actor.submitterIds.includes(e.submitterId);
    case "user":
      if (actor.role === "admin") return true;
      if (e.organisationId) return actor.memberships.has(e.organisationId);
      return e.createdBy === actor.userId;
    default:
      return false;
  }
}

export function requireOwner(actor: Actor, e: Ownership): void {
  if (actor.kind === "anonymous") throw new Unauthorized();
  if (!ownsEvent(actor, e)) throw new Forbidden("This event belongs to another organiser");
}

/** Id recorded as the actor in the moderation log, and its kind. */
export function logActor(actor: Actor): { actorId: string | null; actorKind: string } {
  if (actor.kind === "user") return { actorId: actor.userId, actorKind: "user" };
  return { actorId: null, actorKind: actor.kind === "anonymous" ? "system" : actor.kind };
}
