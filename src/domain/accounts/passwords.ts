/**
 * Password hashing with WebCrypto PBKDF2-SHA256 at OWASP's recommended 600,000
 * iterations. Runtime-neutral (Node and Workers). The stored format carries its own
 * parameters, `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`, so they can be raised later.
 *
 * workerd caps WebCrypto PBKDF2 at 100,000 iterations (cloudflare/workerd#1346). Above
 * that cap the same standard PBKDF2 is computed by @noble/hashes in JavaScript: the hashes
 * are identical on Node and Workers, at the price of roughly a second of CPU per login on
 * Workers (needs the Workers Paid CPU limit, not the free plan's 10 ms).
 *
 * Hashing is deliberately slow, so it is bounded: at most MAX_CONCURRENT_HASHES run at once
 * per process (per isolate on Workers) and at most MAX_WAITING_HASHES wait; beyond that the
 * caller gets Overloaded (503 with Retry-After) at once. On Node, WebCrypto PBKDF2 runs on
 * libuv's thread pool (4 threads), which every other crypto call (the SHA-256 of each
 * session check) shares: unbounded logins from many addresses used to fill it.
 */
import { pbkdf2Async } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { Overloaded } from "../errors.ts";

export const PBKDF2_ITERATIONS = 600_000;
const KEY_BITS = 256;

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

/** workerd's limit on WebCrypto PBKDF2 iterations. */
const WEBCRYPTO_SAFE_ITERATIONS = 100_000;

/** Hashes computed at once; leaves libuv's other threads to session checks and file I/O. */
export const MAX_CONCURRENT_HASHES = 2;
/** Hashes that may wait for a slot; a burst of logins queues, a flood is refused. */
export const MAX_WAITING_HASHES = 16;

let runningHashes = 0;
const waitingHashes: (() => void)[] = [];

/** Runs `fn` within the bound on concurrent hashes, or throws Overloaded when the queue is full. */
async function gated<T>(fn: () => Promise<T>): Promise<T> {
  if (runningHashes < MAX_CONCURRENT_HASHES) {
    runningHashes++;
  } else {
    // About how long the queue ahead takes to drain (a hash takes ~0.2–0.5 s on Node).
    assertHashCapacity();
    // The slot is handed over by the finishing hash (runningHashes stays the same).
    await new Promise<void>((resolve) => waitingHashes.push(resolve));
  }
  try {
    return await fn();
  } finally {
    const next = waitingHashes.shift();
    if (next) next();
    else runningHashes--;
  }
}

/**
 * Throws Overloaded at once when a hash would be refused now: lets a sign-in give up before
 * doing any database work, so a flood costs the database nothing either.
 */
export function assertHashCapacity(): void {
  if (runningHashes >= MAX_CONCURRENT_HASHES && waitingHashes.length >= MAX_WAITING_HASHES) {
    throw new Overloaded(Math.max(1, Math.ceil(MAX_WAITING_HASHES / MAX_CONCURRENT_HASHES / 4)));
  }
}

/** Hashes running and waiting now (for tests and metrics). */
export const hashLoad = () => ({ running: runningHashes, waiting: waitingHashes.length });

function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  return gated(() => deriveUngated(password, salt, iterations));
}

async function deriveUngated(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  try {
    return await deriveWebCrypto(password, salt, iterations);
  } catch (err) {
    if (iterations <= WEBCRYPTO_SAFE_ITERATIONS) throw err;
    // The runtime refused the iteration count (workerd): the same PBKDF2, in JavaScript.
    const bytes = new TextEncoder().encode(password.normalize("NFC"));
    return pbkdf2Async(sha256, bytes, salt, { c: iterations, dkLen: KEY_BITS / 8, asyncTick: 50 });
  }
}

async function deriveWebCrypto(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password.normalize("NFC")),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    key,
    KEY_BITS,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${b64(salt)}$${b64(hash)}`;
}

/** Constant-time comparison of a password against a stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, saltB64, hashB64] = stored.split("$");
  const iterations = Number(iter);
  if (scheme !== "pbkdf2-sha256" || !Number.isInteger(iterations) || !saltB64 || !hashB64) return false;
  const expected = unb64(hashB64);
  const actual = await derive(password, unb64(saltB64), iterations);
  if (actual.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) diff |= (actual[i] as number) ^ (expected[i] as number);
  return diff === 0;
}
