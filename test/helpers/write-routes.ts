/**
 * The mutating API routes that need no signed-in user or token, as "METHOD /path" of the OpenAPI
 * document without /api/v1. Security tests walk the document and treat every other mutating
 * route as one that needs a credential (401 first) and has a row in the authorisation matrix.
 */

/** Anyone may call these (the submission ones take the magic-link token, the invitation ones the emailed token). */
export const ANONYMOUS_WRITES: ReadonlySet<string> = new Set([
  "POST /auth/login",
  "POST /auth/logout",
  "POST /auth/register",
  "POST /auth/verify-email",
  "POST /auth/password-reset",
  "POST /auth/password-reset/confirm",
  "POST /submissions",
  "POST /submissions/confirm",
  "POST /submissions/access",
  "PATCH /submissions/{id}",
  "POST /submissions/{id}/cancel",
  "POST /invitations/lookup",
  "POST /invitations/accept-new",
  "POST /staff-invitations/lookup",
  "POST /staff-invitations/accept-new",
]);

/**
 * Writes about one's own account only: signed in, but with no one else's data at stake, so
 * they have no row in the authorisation matrix (the account and invitation suites test them).
 */
export const SELF_SERVICE_WRITES: ReadonlySet<string> = new Set([
  ...ANONYMOUS_WRITES,
  "POST /me/password",
  "DELETE /me",
  "POST /invitations/accept",
  "POST /staff-invitations/accept",
]);
