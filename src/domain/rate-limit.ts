/**
 * Rate limiting behind a small interface. The default implementation keeps fixed-window
 * counters in the database, so limits hold across processes and Workers isolates. A bucket
 * is stored under its rule's name and a keyed hash of its key (an email address, a client
 * address), never the key itself.
 */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/client.ts";
import type { Tenant } from "./context.ts";
import { RateLimited } from "./errors.ts";
import { keyedHash } from "./secrets.ts";

export interface RateRule {
  /** Bucket name, e.g. "login". */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Counts one hit for `key` under `rule`; throws RateLimited when the limit is exceeded. */
  hit(rule: RateRule, key: string, now: Date): Promise<void>;
  /** Counts one hit for `key` under `rule` without refusing (e.g. a failed password). */
  record(rule: RateRule, key: string, now: Date): Promise<void>;
  /** The hits counted in the current window, without counting one. */
  peek(rule: RateRule, key: string, now: Date): Promise<RateCount>;
}

export interface RateCount {
  count: number;
  /** Seconds until the window ends (0 when there is no open window). */
  retryAfterSeconds: number;
}

export const RATE_RULES = {
  loginPerIp: { name: "login-ip", limit: 20, windowSeconds: 15 * 60 },
  loginPerAccount: { name: "login-account", limit: 10, windowSeconds: 15 * 60 },
  accountEmail: { name: "account-email", limit: 5, windowSeconds: 60 * 60 },
  submission: { name: "submission", limit: 5, windowSeconds: 60 * 60 },
  /** Failed passwords for one account from one address: refused beyond the limit. */
  loginFailuresPerAccountAddress: { name: "login-fail-account-ip", limit: 5, windowSeconds: 15 * 60 },
  /** Every write by an anonymous caller or a submitter (magic link), per client address. */
  unauthenticatedWrite: { name: "unauthenticated-write", limit: 60, windowSeconds: 10 * 60 },
  /**
   * Confirmation mails to one address, whoever asks for them: a stranger cannot make the
   * site mail a victim more than this a day (the per-IP limit alone does not hold against
   * many addresses).
   */
  submissionPerRecipient: { name: "submission-recipient", limit: 10, windowSeconds: 24 * 60 * 60 },
  /** Invitations an organisation's admin (or a platform admin) sends, per inviting user. */
  invitationPerUser: { name: "invite-user", limit: 20, windowSeconds: 60 * 60 },
  /** Invitations per organisation, whoever sends them. */
  invitationPerOrganisation: { name: "invite-org", limit: 30, windowSeconds: 24 * 60 * 60 },
} satisfies Record<string, RateRule>;

/**
 * The key of a bucket that belongs to one municipality's site (#21): the same address counts
 * separately on each site. For limits about what a site receives (its moderation queue, its
 * anonymous forms); limits about an account or an email address stay regional (one account
 * and one inbox across the region), and so do their keys.
 */
export function perSite(tenant: Pick<Tenant, "id">, key: string): string {
  return `${tenant.id}|${key}`;
}

/**
 * The rate_limits key of a bucket: "<rule name>:<HMAC of the key>". Personal data such as
 * "login-account:<email>" never reaches the table, yet account deletion can still find
 * (and delete) the buckets of an address by computing the same key.
 */
export function rateLimitKey(secret: string, rule: Pick<RateRule, "name">, key: string): string {
  return `${rule.name}:${keyedHash(secret, "rate-limit", key)}`;
}

/** Fixed-window counters in the rate_limits table (one upsert per hit); `secret` keys the bucket hashes. */
export function dbRateLimiter(db: Queryable, secret = ""): RateLimiter {
  const limiter: RateLimiter = {
    async hit(rule, key, now) {
      const bucket = rateLimitKey(secret, rule, key);
      const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000).toISOString();
      const nowIso = now.toISOString();
      const [row] = await queryRows<{ count: number; window_start: string | Date }>(
        db,
        sql`insert into rate_limits (key, window_start, count) values (${bucket}, ${nowIso}::timestamptz, 1)
            on conflict (key) do update set
              count = case when rate_limits.window_start <= ${windowStart}::timestamptz then 1 else rate_limits.count + 1 end,
              window_start = case when rate_limits.window_start <= ${windowStart}::timestamptz then ${nowIso}::timestamptz else rate_limits.window_start end
            returning count, window_start`,
      );
      if (row && Number(row.count) > rule.limit) {
        const started = new Date(row.window_start).getTime();
        const retry = Math.max(1, Math.ceil((started + rule.windowSeconds * 1000 - now.getTime()) / 1000));
        throw new RateLimited(retry);
      }
    },
    async record(rule, key, now) {
      try {
        await limiter.hit(rule, key, now);
      } catch (err) {
        if (!(err instanceof RateLimited)) throw err;
      }
    },
    async peek(rule, key, now) {
      const bucket = rateLimitKey(secret, rule, key);
      const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000).toISOString();
      const [row] = await queryRows<{ count: number; window_start: string | Date }>(
        db,
        sql`select count, window_start from rate_limits
            where key = ${bucket} and window_start > ${windowStart}::timestamptz`,
      );
      if (!row) return { count: 0, retryAfterSeconds: 0 };
      const ends = new Date(row.window_start).getTime() + rule.windowSeconds * 1000;
      return {
        count: Number(row.count),
        retryAfterSeconds: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)),
      };
    },
  };
  return limiter;
}
