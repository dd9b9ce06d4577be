/**
 * Random tokens and their SHA-256 digests (WebCrypto, runtime-neutral). Session,
 * email and API tokens are handed out once; only their digests are stored. Keyed hashes
 * (HMAC-SHA-256) pseudonymise personal data that must still be matched, e.g. the address in a
 * rate-limit bucket or in a log line.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** A URL-safe random token with 256 bits of entropy, optionally with a prefix such as "kk_". */
export function randomToken(prefix = ""): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  return `${prefix}${b64}`;
}

/** Hex SHA-256 of a token: what the database stores and looks up. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return toHex(new Uint8Array(digest));
}

const encoder = new TextEncoder();

/**
 * Hex HMAC-SHA-256 of `value` under `secret`, domain-separated by `purpose` (so that a
 * rate-limit key and a log pseudonym of the same address differ). Synchronous, so that it
 * can serve the logger too.
 */
export function keyedHash(secret: string, purpose: string, value: string): string {
  return toHex(hmac(sha256, encoder.encode(`${purpose}\u0000${secret}`), encoder.encode(value)));
}
