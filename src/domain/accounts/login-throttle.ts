/**
 * Throttling of password guesses without letting anyone lock an account out.
 *
 * Failures are counted per (account, address), per address and per account:
 * - an address that failed too often for one account, or too often overall, is refused (429);
 * - when an account has many failures from many addresses (someone is guessing, or trying to
 *   lock it out), an address that has already failed for it is refused, while one that has
 *   not is only slowed down: the account's owner can still sign in from their own address.
 * Successful sign-ins are not counted. The bound on concurrent hashing (passwords.ts) keeps
 * the CPU cost of any of this in check.
 *
 * All three are regional, not per municipality's site (rate-limit.ts, perSite): an account is
 * one across the region, so guesses against it count the same through every site, and a
 * guesser gains nothing by spreading them over the sites.
 */
import type { Clock } from "../context.ts";
import { RateLimited } from "../errors.ts";
import { RATE_RULES, type RateLimiter } from "../rate-limit.ts";

/** Who is trying: the limiter and the caller's address (see src/http/client-ip.ts). */
export interface LoginGuard {
  limiter: RateLimiter;
  clientIp: string;
}

/** How long a sign-in to an account under attack waits before its password is checked. */
export const UNDER_ATTACK_DELAY_MS = 1000;

const pairKey = (email: string, ip: string) => `${email}|${ip}`;

/** Refuses or slows down a password check before it is made (no counting). */
export async function beforePasswordCheck(guard: LoginGuard, clock: Clock, email: string): Promise<void> {
  const now = clock.now();
  const { limiter, clientIp } = guard;
  const [perIp, pair, account] = await Promise.all([
    limiter.peek(RATE_RULES.loginPerIp, clientIp, now),
    limiter.peek(RATE_RULES.loginFailuresPerAccountAddress, pairKey(email, clientIp), now),
    limiter.peek(RATE_RULES.loginPerAccount, email, now),
  ]);
  if (perIp.count >= RATE_RULES.loginPerIp.limit) throw new RateLimited(perIp.retryAfterSeconds);
  if (pair.count >= RATE_RULES.loginFailuresPerAccountAddress.limit) {
    throw new RateLimited(pair.retryAfterSeconds);
  }
  if (account.count >= RATE_RULES.loginPerAccount.limit) {
    if (pair.count > 0) throw new RateLimited(Math.max(pair.retryAfterSeconds, account.retryAfterSeconds));
    await new Promise((resolve) => setTimeout(resolve, UNDER_ATTACK_DELAY_MS));
  }
}

/** Counts a wrong password against the address, the account and the pair. */
export async function afterWrongPassword(guard: LoginGuard, clock: Clock, email: string): Promise<void> {
  const now = clock.now();
  const { limiter, clientIp } = guard;
  await limiter.record(RATE_RULES.loginPerIp, clientIp, now);
  await limiter.record(RATE_RULES.loginFailuresPerAccountAddress, pairKey(email, clientIp), now);
  await limiter.record(RATE_RULES.loginPerAccount, email, now);
}
