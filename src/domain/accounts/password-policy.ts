/**
 * What a new password must be: 10–200 characters (checked by the request schemas), not one of
 * the commonly used passwords of breach corpora (src/domain/accounts/common-passwords.ts, ~11,400
 * entries), and not built from the account's own email address. NIST SP 800-63B §3.1.1.2
 * asks for exactly these checks instead of composition rules.
 */

import { ValidationError } from "../errors.ts";
import { COMMON_PASSWORDS_TEXT } from "./common-passwords.ts";

let common: Set<string> | undefined;

const normalise = (s: string) => s.normalize("NFKC").toLowerCase();

/** Whether the password (case-insensitively) is on the common-password list. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(COMMON_PASSWORDS_TEXT.split("\n"));
  return common.has(normalise(password));
}

/** Issue codes of refused passwords, for clients that show their own texts. */
export const PASSWORD_ISSUE = { common: "common_password", email: "contains_email" } as const;

/**
 * Throws a ValidationError naming `path` when the password is common or contains the email
 * address (or its local part, when that is at least 4 characters long).
 */
export function checkPasswordPolicy(password: string, email: string, path = "password"): void {
  const pw = normalise(password);
  const address = normalise(email.trim());
  const local = address.split("@")[0] ?? "";
  if (isCommonPassword(pw)) {
    throw new ValidationError([
      {
        path,
        message: "is too common: it is on a list of passwords found in data breaches",
        code: PASSWORD_ISSUE.common,
      },
    ]);
  }
  if ((address && pw.includes(address)) || (local.length >= 4 && pw.includes(local))) {
    throw new ValidationError([
      { path, message: "must not contain your email address", code: PASSWORD_ISSUE.email },
    ]);
  }
}
