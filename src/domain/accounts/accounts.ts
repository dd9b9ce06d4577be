/**
 * Accounts: sign-in with server-side sessions (the cookie carries a random token, the
 * database only its SHA-256), registration with email verification, password reset by
 * a single-use expiring token, and resolving a session back to an actor. Sessions end after
 * SESSION_TTL_SECONDS, or sooner when unused for the configured idle timeout. Setting a new
 * password (reset or change) ends every other session and every outstanding reset link.
 */
import { and, eq, gt, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import type { Locale, MembershipRole, MunicipalityRole } from "../../contract/codes.ts";
import { queryRows } from "../../db/client.ts";
import {
  emailTokens,
  memberships,
  municipalities,
  municipalityStaff,
  organisations,
  sessions,
  users,
} from "../../db/schema.ts";
import { type Ctx, withTransaction } from "../context.ts";
import { Conflict, Forbidden, Unauthorized, ValidationError } from "../errors.ts";
import { notify } from "../notifications/notifications.ts";
import { randomToken, sha256Hex } from "../secrets.ts";
import { isModeratorOf, isMunicipalityAdminOf, isRegionAdmin, type UserActor } from "./access.ts";
import { consumeEmailToken, findEmailToken, invalidEmailToken, issueEmailToken } from "./email-tokens.ts";
import { withEvenTiming } from "./even-timing.ts";
import { afterWrongPassword, beforePasswordCheck, type LoginGuard } from "./login-throttle.ts";
import { checkPasswordPolicy } from "./password-policy.ts";
import { assertHashCapacity, hashPassword, verifyPassword } from "./passwords.ts";

export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

/**
 * A hash to verify against when the account does not exist, so timing does not tell (of a
 * random password nobody knows, at the current iteration count).
 */
const DUMMY_HASH =
  "pbkdf2-sha256$600000$Y/zA1Zrr5LWxOUpZ24n5+w==$Go67ldzR88RZJ1Dx8F2s42Pzvki/0JBE8H96zltyVsA=";

/** lastSeenAt is written at most this often per session (not on every request). */
export const SESSION_TOUCH_SECONDS = 60;

/** Password-setting links (reset, invitation): all of them end when a password is set. */
const PASSWORD_LINKS = ["password_reset", "invitation"] as const;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

async function activeUserByEmail(ctx: Ctx, email: string) {
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.email, normaliseEmail(email)), isNull(users.deletedAt)));
  return user ?? null;
}

/** Checks the password and opens a session; returns the raw session token for the cookie. */
export async function login(
  ctx: Ctx,
  input: { email: string; password: string; userAgent?: string | undefined },
  guard?: LoginGuard,
): Promise<{ token: string; userId: string; expiresAt: Date }> {
  const email = normaliseEmail(input.email);
  assertHashCapacity();
  if (guard) await beforePasswordCheck(guard, ctx.clock, email);
  const user = await activeUserByEmail(ctx, email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user?.passwordHash || !ok) {
    if (guard) await afterWrongPassword(guard, ctx.clock, email);
    throw new Unauthorized("Wrong email address or password");
  }
  if (!user.emailVerifiedAt) throw new Forbidden("Confirm your email address first (see the email we sent)");
  return openSession(ctx, user.id, input.userAgent);
}

async function openSession(ctx: Ctx, userId: string, userAgent: string | undefined) {
  const token = randomToken();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
  await ctx.db.insert(sessions).values({
    id: await sha256Hex(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return { token, userId, expiresAt };
}

/**
 * Checks the signed-in user's password again before a grave step (closing the account,
 * changing the password). Wrong guesses count like failed sign-ins (login-throttle.ts), so a
 * stolen session cannot be used to guess the password either.
 */
export async function reauthenticate(
  ctx: Ctx,
  actor: UserActor,
  password: string,
  guard: LoginGuard,
  path = "password",
): Promise<void> {
  assertHashCapacity();
  await beforePasswordCheck(guard, ctx.clock, actor.email);
  const [user] = await ctx.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, actor.userId), isNull(users.deletedAt)));
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user?.passwordHash || !ok) {
    await afterWrongPassword(guard, ctx.clock, actor.email);
    throw new ValidationError([{ path, message: "is not your current password", code: "wrong_password" }]);
  }
}

/**
 * Ends every session of the user except `keepSessionId` and every outstanding password-setting
 * link (reset, invitation): after a new password, nothing issued under the old one stays valid.
 */
async function endCredentials(ctx: Ctx, userId: string, now: Date, keepSessionId?: string): Promise<void> {
  await ctx.db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        ...(keepSessionId ? [ne(sessions.id, keepSessionId)] : []),
      ),
    );
  await ctx.db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.userId, userId),
        inArray(emailTokens.purpose, [...PASSWORD_LINKS]),
        isNull(emailTokens.usedAt),
      ),
    );
}

/**
 * POST /me/password: checks the current password, sets the new one, and ends the account's
 * other sessions and outstanding reset links (this session stays signed in).
 */
export async function changePassword(
  ctx: Ctx,
  actor: UserActor,
  input: { current_password: string; new_password: string },
  guard: LoginGuard,
  iterations?: number,
): Promise<void> {
  checkPasswordPolicy(input.new_password, actor.email, "new_password");
  await reauthenticate(ctx, actor, input.current_password, guard, "current_password");
  const passwordHash = await hashPassword(input.new_password, iterations);
  await withTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    await tx.db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, actor.userId));
    await endCredentials(tx, actor.userId, now, actor.sessionId);
  });
}

export async function logout(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.db.update(sessions).set({ revokedAt: ctx.clock.now() }).where(eq(sessions.id, sessionId));
}

/** Loads the user's memberships as a map for access checks. */
/**
 * The user's organisation memberships and municipality staff roles, in one round trip
 * (it runs on every signed-in request).
 */
async function rolesOf(ctx: Ctx, userId: string): Promise<Pick<UserActor, "memberships" | "staff">> {
  const rows = await queryRows<{ kind: "org" | "staff"; id: string; role: string }>(
    ctx.db,
    sql`select 'org' as kind, m.organisation_id as id, m.role::text as role
          from memberships m join organisations o on o.id = m.organisation_id
         where m.user_id = ${userId}::uuid and o.deleted_at is null
        union all
        select 'staff' as kind, s.municipality_id as id, s.role::text as role
          from municipality_staff s where s.user_id = ${userId}::uuid`,
  );
  const memberships = new Map<string, MembershipRole>();
  const staff = new Map<string, MunicipalityRole>();
  for (const r of rows) {
    if (r.kind === "org") memberships.set(r.id, r.role as MembershipRole);
    else staff.set(r.id, r.role as MunicipalityRole);
  }
  return { memberships, staff };
}

/** The actor behind a session cookie, or null when it is unknown, expired or revoked. */
export async function userFromSession(ctx: Ctx, token: string): Promise<UserActor | null> {
  const id = await sha256Hex(token);
  const now = ctx.clock.now();
  const idleMs = ctx.config.sessionIdleTimeoutMinutes * 60_000;
  const [row] = await ctx.db
    .select({ user: users, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, id),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, new Date(now.getTime() - idleMs)),
        isNull(users.deletedAt),
      ),
    );
  if (!row) return null;
  // Note the use, at most once a minute (sooner with a very short idle timeout), not per request.
  const touchMs = Math.min(SESSION_TOUCH_SECONDS * 1000, idleMs / 4);
  if (now.getTime() - new Date(row.lastSeenAt).getTime() >= touchMs) {
    await ctx.db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(and(eq(sessions.id, id), lt(sessions.lastSeenAt, now)));
  }
  const u = row.user;
  return {
    kind: "user",
    userId: u.id,
    email: u.email,
    displayName: u.displayName,
    locale: (u.locale as Locale) ?? "fi",
    role: u.role,
    ...(await rolesOf(ctx, u.id)),
    sessionId: id,
  };
}

/** GET /me: the user, their memberships with organisation names, and their role. */
export async function describeMe(ctx: Ctx, actor: UserActor) {
  const rows = await ctx.db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      trusted: organisations.trusted,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.userId, actor.userId), isNull(organisations.deletedAt)))
    .orderBy(organisations.name);
  const staff = await ctx.db
    .select({
      id: municipalities.id,
      slug: municipalities.slug,
      name: municipalities.name,
      role: municipalityStaff.role,
    })
    .from(municipalityStaff)
    .innerJoin(municipalities, eq(municipalities.id, municipalityStaff.municipalityId))
    .where(eq(municipalityStaff.userId, actor.userId))
    .orderBy(municipalities.slug);
  return {
    user: {
      id: actor.userId,
      email: actor.email,
      display_name: actor.displayName,
      locale: actor.locale,
      role: actor.role,
    },
    role: actor.role,
    memberships: rows.map((r) => ({
      organisation: { id: r.id, slug: r.slug, name: r.name, trusted: r.trusted },
      role: r.role,
    })),
    municipalities: staff.map((s) => ({
      municipality: { id: s.id, slug: s.slug, name: s.name },
      role: s.role,
    })),
    /** What the user may do on this site (the municipality the request is for). */
    here: {
      municipality: { id: ctx.tenant.id, slug: ctx.tenant.slug },
      moderator: isModeratorOf(actor, ctx.tenant),
      admin: isMunicipalityAdminOf(actor, ctx.tenant.id),
      region_admin: isRegionAdmin(actor),
    },
  };
}

/**
 * Registers an account and emails a verification link. The answer is the same whether
 * or not the address already has an account, so registration does not reveal accounts.
 */
export async function register(
  ctx: Ctx,
  input: { email: string; password: string; display_name: string; locale: Locale },
  iterations?: number,
): Promise<void> {
  const email = normaliseEmail(input.email);
  checkPasswordPolicy(input.password, email);
  const passwordHash = await hashPassword(input.password, iterations);
  await withTransaction(ctx, async (tx) => {
    const [existing] = await tx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing) return;
    const now = tx.clock.now();
    const [user] = await tx.db
      .insert(users)
      .values({
        email,
        passwordHash,
        displayName: input.display_name,
        locale: input.locale,
        role: "organiser",
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: users.id });
    const token = await issueEmailToken(tx, "verify_email", { userId: user!.id });
    await notify(tx, "verify_email", email, input.locale, {
      path: `/tili/vahvista?token=${token}`,
    });
  });
}

export async function verifyEmail(ctx: Ctx, token: string): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const row = await consumeEmailToken(tx, token, ["verify_email"]);
    await tx.db.update(users).set({ emailVerifiedAt: tx.clock.now() }).where(eq(users.id, row.userId!));
  });
}

/**
 * Emails a single-use reset link when the account exists; answers the same either way, and
 * in the same time (even-timing.ts).
 */
export async function requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
  await withEvenTiming(() =>
    withTransaction(ctx, async (tx) => {
      const user = await activeUserByEmail(tx, email);
      if (!user) return;
      const token = await issueEmailToken(tx, "password_reset", { userId: user.id });
      await notify(tx, "password_reset", user.email, user.locale, {
        path: `/tili/salasana?token=${token}`,
      });
    }),
  );
}

/**
 * Sets a new password with a reset or invitation token (single use), confirms the email
 * address (the link proved it), and ends every open session and every other outstanding reset
 * or invitation link of the account. The password must pass the policy. Returns the
 * account's email address, so the page can sign the person in (the token holder received
 * the link at that address, so it reveals nothing new to them).
 */
export async function resetPassword(
  ctx: Ctx,
  input: { token: string; password: string; display_name?: string | undefined },
  iterations?: number,
): Promise<{ email: string }> {
  // Check the token before the deliberately slow hash: a wrong token must cost no CPU
  // (this endpoint is open to anyone). The transaction below still consumes it exactly once.
  const live =
    (await findEmailToken(ctx, input.token, "password_reset")) ??
    (await findEmailToken(ctx, input.token, "invitation"));
  if (!live) throw invalidEmailToken();
  if (live.userId) {
    const [owner] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, live.userId));
    if (owner) checkPasswordPolicy(input.password, owner.email);
  }
  const passwordHash = await hashPassword(input.password, iterations);
  return withTransaction(ctx, async (tx) => {
    const row = await consumeEmailToken(tx, input.token, ["password_reset", "invitation"]);
    const now = tx.clock.now();
    const [user] = await tx.db
      .select()
      .from(users)
      .where(and(eq(users.id, row.userId!), isNull(users.deletedAt)));
    if (!user) throw new Conflict("The account no longer exists");
    await tx.db
      .update(users)
      .set({
        passwordHash,
        emailVerifiedAt: user.emailVerifiedAt ?? now,
        updatedAt: now,
        ...(input.display_name ? { displayName: input.display_name } : {}),
      })
      .where(eq(users.id, user.id));
    await endCredentials(tx, user.id, now);
    return { email: user.email };
  });
}
