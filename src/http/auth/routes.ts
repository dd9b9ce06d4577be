/**
 * Accounts API: sign in and out, who am I, registration with email verification,
 * password reset and change, data export and account deletion (which asks for the password).
 */
import type { Context } from "hono";
import { CACHE, cacheControl } from "../../cache/policy.ts";
import {
  ChangePasswordRequest,
  DeleteAccountRequest,
  LoginRequest,
  LoginResponse,
  Me,
  MyDataExport,
  PasswordResetConfirm,
  PasswordResetConfirmed,
  PasswordResetRequest,
  RegisterRequest,
  VerifyEmailRequest,
} from "../../contract/api/auth.ts";
import { StatusMessage } from "../../contract/api/common.ts";
import { LOCALES } from "../../contract/codes.ts";
import { safeNextPath } from "../../contract/safe-next.ts";
import { requireUser } from "../../domain/accounts/access.ts";
import {
  changePassword,
  describeMe,
  login,
  logout,
  reauthenticate,
  register,
  requestPasswordReset,
  resetPassword,
  verifyEmail,
} from "../../domain/accounts/accounts.ts";
import type { LoginGuard } from "../../domain/accounts/login-throttle.ts";
import { deleteAccount, exportUserData } from "../../domain/privacy/gdpr.ts";
import { RATE_RULES } from "../../domain/rate-limit.ts";
import { clearSessionCookie, setSessionCookie } from "../auth-context.ts";
import { jsonRoutes } from "../route-kit.ts";
import type { AppEnv } from "../types.ts";

const guardOf = (c: Context<AppEnv>): LoginGuard => ({
  limiter: c.get("limiter"),
  clientIp: c.get("clientIp"),
});

export function authRoutes() {
  const { app, add } = jsonRoutes("Accounts");

  add(
    "post",
    "/auth/login",
    {
      operationId: "login",
      summary: "Sign in; sets the session cookie",
      description:
        "Wrong passwords are counted per (account, address), per address and per account. An address " +
        "over its limits gets 429; an account with many failures from elsewhere only slows down the " +
        "sign-in of an address that has not failed. `next` (a path from the login page's ?next=) is " +
        "answered back normalised when it stays on this site, else null.",
      body: LoginRequest,
      response: LoginResponse,
      responseDescription: "Signed in; the session cookie is set",
      problems: [401, 503],
    },
    async (c, body) => {
      const ctx = c.get("ctx");
      const { email, password } = body;
      const session = await login(
        ctx,
        { email, password, userAgent: c.req.header("user-agent") },
        guardOf(c),
      );
      setSessionCookie(c, session.token);
      return c.json(
        {
          user_id: session.userId,
          expires_at: session.expiresAt.toISOString(),
          next: safeNextPath(body.next),
        },
        200,
      );
    },
  );

  add(
    "post",
    "/auth/logout",
    { operationId: "logout", summary: "Sign out (revokes the session)", status: 204 },
    async (c) => {
      const actor = c.get("actor");
      if (actor.kind === "user" && actor.sessionId) await logout(c.get("ctx"), actor.sessionId);
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  add(
    "post",
    "/auth/register",
    {
      operationId: "register",
      summary: "Create an account; a verification link is emailed",
      status: 202,
      body: RegisterRequest,
      response: StatusMessage,
      responseDescription:
        "Accepted: a verification link is on its way (the same answer for a known address)",
      problems: [503],
    },
    async (c, body) => {
      const ctx = c.get("ctx");
      // Regional (not perSite): accounts are one across the region, whichever site is used.
      await c.get("limiter").hit(RATE_RULES.accountEmail, c.get("clientIp"), ctx.clock.now());
      await register(ctx, body);
      return c.json({ status: "check your email" }, 202);
    },
  );

  add(
    "post",
    "/auth/verify-email",
    {
      operationId: "verifyEmail",
      summary: "Confirm an email address with the emailed token",
      body: VerifyEmailRequest,
      response: StatusMessage,
      problems: [404, 409],
    },
    async (c, body) => {
      await verifyEmail(c.get("ctx"), body.token);
      return c.json({ status: "verified" }, 200);
    },
  );

  add(
    "post",
    "/auth/password-reset",
    {
      operationId: "requestPasswordReset",
      summary: "Email a single-use password reset link",
      status: 202,
      body: PasswordResetRequest,
      response: StatusMessage,
      responseDescription: "Accepted (the same answer whether or not the address has an account)",
    },
    async (c, body) => {
      const ctx = c.get("ctx");
      // Regional, as registration: the account (and its inbox) is the same on every site.
      await c.get("limiter").hit(RATE_RULES.accountEmail, c.get("clientIp"), ctx.clock.now());
      await requestPasswordReset(ctx, body.email);
      return c.json({ status: "if the address has an account, a link is on its way" }, 202);
    },
  );

  add(
    "post",
    "/auth/password-reset/confirm",
    {
      operationId: "confirmPasswordReset",
      summary:
        "Set a new password with a reset or invitation token; ends all sessions; answers with the account's email",
      body: PasswordResetConfirm,
      response: PasswordResetConfirmed,
      problems: [404, 409, 503],
    },
    async (c, body) => {
      const { email } = await resetPassword(c.get("ctx"), body);
      return c.json({ status: "password changed", email }, 200);
    },
  );

  add(
    "get",
    "/me",
    {
      operationId: "getMe",
      auth: true,
      security: ["cookieAuth"],
      summary: "The signed-in user, their memberships and role",
      response: Me,
    },
    async (c) => {
      return c.json(await describeMe(c.get("ctx"), requireUser(c.get("actor"))), 200);
    },
  );

  add(
    "get",
    "/me/export",
    {
      operationId: "exportMyData",
      auth: true,
      security: ["cookieAuth"],
      summary: "Everything stored about me, as JSON (GDPR)",
      response: MyDataExport,
      responseDescription: "A download (Content-Disposition: attachment)",
    },
    async (c) => {
      const data = await exportUserData(c.get("ctx"), c.get("actor"));
      c.header("Content-Disposition", 'attachment; filename="kuntakalenteri-data.json"');
      c.header("Cache-Control", cacheControl(CACHE.private));
      return c.json(data, 200);
    },
  );

  add(
    "delete",
    "/me",
    {
      operationId: "deleteMyAccount",
      auth: true,
      security: ["cookieAuth"],
      summary: "Close my account and erase my personal data (GDPR); asks for the password",
      status: 204,
      body: DeleteAccountRequest,
      problems: [409, 429, 503],
    },
    async (c, body) => {
      const ctx = c.get("ctx");
      const me = requireUser(c.get("actor"));
      await reauthenticate(ctx, me, body.password, guardOf(c));
      await deleteAccount(ctx, me, me.userId);
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  add(
    "post",
    "/me/password",
    {
      operationId: "changeMyPassword",
      auth: true,
      security: ["cookieAuth"],
      summary: "Change my password; ends my other sessions and outstanding reset links",
      body: ChangePasswordRequest,
      response: StatusMessage,
      problems: [429, 503],
    },
    async (c, body) => {
      await changePassword(c.get("ctx"), requireUser(c.get("actor")), body, guardOf(c));
      return c.json({ status: "password changed" }, 200);
    },
  );

  return app;
}
