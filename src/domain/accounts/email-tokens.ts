/**
 * Tokens sent by email: email verification, password reset, invitations, submission
 * confirmation (single-use, expiring) and submitter magic links (expiring, reusable
 * until then). Only the SHA-256 of a token is stored.
 */
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import { emailTokens } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { randomToken, sha256Hex } from "../secrets.ts";

export const TOKEN_TTL_SECONDS = {
  verify_email: 48 * 3600,
  password_reset: 3600,
  invitation: 7 * 24 * 3600,
  submission_confirm: 48 * 3600,
  submitter_access: 30 * 24 * 3600,
} as const;
export type TokenPurpose = keyof typeof TOKEN_TTL_SECONDS;

export async function issueEmailToken(
  ctx: Ctx,
  purpose: TokenPurpose,
  subject: { userId?: string; submitterId?: string; eventId?: string },
): Promise<string> {
  const token = randomToken();
  const now = ctx.clock.now();
  await ctx.db.insert(emailTokens).values({
    purpose,
    tokenHash: await sha256Hex(token),
    userId: subject.userId ?? null,
    submitterId: subject.submitterId ?? null,
    eventId: subject.eventId ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + TOKEN_TTL_SECONDS[purpose] * 1000),
  });
  return token;
}

export const invalidEmailToken = () =>
  new ValidationError([{ path: "token", message: "is invalid, used or expired" }]);

/** Marks a single-use token used and returns it; one UPDATE, so it cannot be used twice. */
export async function consumeEmailToken(ctx: Ctx, token: string, purposes: TokenPurpose[]) {
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.tokenHash, await sha256Hex(token)),
        inArray(emailTokens.purpose, purposes),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .returning();
  if (!row) throw invalidEmailToken();
  return row;
}

/** Looks up a reusable token (magic link) without consuming it; null when invalid. */
export async function findEmailToken(ctx: Ctx, token: string, purpose: TokenPurpose) {
  const [row] = await ctx.db
    .select()
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.tokenHash, await sha256Hex(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, ctx.clock.now()),
      ),
    );
  return row ?? null;
}
