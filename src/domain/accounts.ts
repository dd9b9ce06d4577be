/**
 * Accounts: sign-in with server-side sessions (the cookie carries a random token, the
 * database only its SHA-256), registration with email verification, password reset by
 * a single-use expiring token, and resolving a session back to an actor.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import { memberships, organisations, sessions, users } from "../db/schema.ts";
import type { UserActor } from "./access.ts";
import type { Locale, MembershipRole } from "./codes.ts";
import { type Ctx, withTransaction } from "./context.ts";
import { consumeEmailToken, findEmailToken, invalidEmailToken, issueEmailToken } from "./email-tokens.ts";
import { Conflict, Forbidden, Unauthorized } from "./errors.ts";
import { notify } from "./notifications.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { randomToken, sha256Hex } from "./secrets.ts";

export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

/** A hash to verify against when the account does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;

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
): Promise<{ token: string; userId: string; expiresAt: Date }> {
  const user = await activeUserByEmail(ctx, input.email);
  dummyHash ??= hashPassword("not a real password");
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash));
  if (!user?.passwordHash || !ok) throw new Unauthorized("Wrong email address or password");
  if (!user.emailVerifiedAt) throw new Forbidden("Confirm your email address first (see the email we sent)");
  const token = randomToken();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
  await ctx.db.insert(sessions).values({
    id: await sha256Hex(token),
    userId: user.id,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  return { token, userId: user.id, expiresAt };
}

export async function logout(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.db.update(sessions).set({ revokedAt: ctx.clock.now() }).where(eq(sessions.id, sessionId));
}

/** Loads the user's memberships as a map for access checks. */
async function membershipMap(ctx: Ctx, userId: string): Promise<Map<string, MembershipRole>> {
  const rows = await ctx.db
    .select({ organisationId: memberships.organisationId, role: memberships.role })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.userId, userId), isNull(organisations.deletedAt)));
  return new Map(rows.map((r) => [r.organisationId, r.role]));
}

/** The actor behind a session cookie, or null when it is unknown, expired or revoked. */
export async function userFromSession(ctx: Ctx, token: string): Promise<UserActor | null> {
  const id = await sha256Hex(token);
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, id),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        isNull(users.deletedAt),
      ),
    );
  if (!row) return null;
  const u = row.user;
  return {
    kind: "user",
    userId: u.id,
    email: u.email,
    displayName: u.displayName,
    locale: (u.locale as Locale) ?? "fi",
    role: u.role,
    memberships: await membershipMap(ctx, u.id),
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

/** Emails a single-use reset link when the account exists; answers the same either way. */
export async function requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const user = await activeUserByEmail(tx, email);
    if (!user) return;
    const token = await issueEmailToken(tx, "password_reset", { userId: user.id });
    await notify(tx, "password_reset", user.email, user.locale, { path: `/tili/salasana?token=${token}` });
  });
}

/**
 * Sets a new password with a reset or invitation token (single use), confirms the email
 * address (the link proved it) and revokes every open session of the account. Returns the
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
    await tx.db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)));
    return { email: user.email };
  });
}
