/**
 * The `?next=` target after signing in, shared by the server (POST /auth/login answers with the
 * checked target) and the browser (web/src/account/kit.ts). Only a path on this site is
 * accepted, judged AFTER the URL is normalised: "/..//evil.example" normalises to
 * "//evil.example", a network-path reference that leaves the site, so it is refused like
 * "//evil.example", "/\evil.example", schemes, and control characters or whitespace (which
 * browsers drop or treat as slashes).
 */

const BASE = "https://this-site.invalid";

/** The normalised same-site path (with query and fragment) for `raw`, or null when unsafe. */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (!raw || raw.length > 2000) return null;
  if (!raw.startsWith("/") || raw.startsWith("//")) return null;
  // Backslashes count as slashes in URLs; tabs and newlines are dropped: refuse them outright.
  if (/[\\\s]/.test(raw) || [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // After normalisation ("/..//x" → "//x") the path must still be a path, not a host.
  if (!path.startsWith("/") || path.startsWith("//")) return null;
  try {
    if (new URL(path, BASE).origin !== BASE) return null;
  } catch {
    return null;
  }
  return path;
}
