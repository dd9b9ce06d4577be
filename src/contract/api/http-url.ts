/**
 * The one schema for every URL the platform stores and later shows as a link (organisation
 * website; event online, ticket, registration, image and link URLs): an absolute http(s) URL,
 * no credentials, at most 2000 characters. The string is stored as given (trimmed), so it is
 * checked as a browser would read it: `new URL()` drops tabs and newlines and treats a
 * backslash as a slash, so any whitespace, control or invisible formatting character inside
 * the URL, and any backslash, is refused outright rather than normalised away.
 */
import { z } from "zod";

export const MAX_URL_LENGTH = 2000;

// C0/C1 controls, whitespace and invisible format characters (zero-width, bidi overrides).
const UNSAFE_CHARACTER = /[\p{Cc}\p{Cf}\p{Z}\s\\]/u;

/** Why `raw` is not a safe http(s) URL, or null when it is. */
export function httpUrlProblem(raw: string): string | null {
  if (raw.length === 0) return "must not be empty";
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  if (UNSAFE_CHARACTER.test(raw)) return "must not contain spaces, control characters or backslashes";
  if (!/^https?:\/\//i.test(raw)) return "must be an http(s) URL (https://…)";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be a valid URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL (https://…)";
  if (!url.hostname) return "must name a host";
  if (url.username || url.password) return "must not contain a user name or password";
  return null;
}

/** True for a URL that may be stored and shown as a link (see httpUrlProblem). */
export const isHttpUrl = (raw: string): boolean => httpUrlProblem(raw) === null;

/** The shared zod schema: a trimmed http(s) URL without credentials, at most 2000 characters. */
export const HttpUrl = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH)
  .superRefine((value, issue) => {
    const problem = httpUrlProblem(value);
    if (problem) issue.addIssue({ code: "custom", message: problem });
  });
export type HttpUrl = z.infer<typeof HttpUrl>;
