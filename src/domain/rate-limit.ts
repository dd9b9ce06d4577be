/**
 * Rate limiting behind a small interface. The default implementation keeps fixed-window
 * counters in the database, so limits hold across processes and Workers isolates.
 */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/client.ts";
import { RateLimited } from "./errors.ts";

export interface RateRule {
  /** Bucket name, e.g. "login". */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Counts one hit for `key` under `rule`; throws RateLimited when the limit is exceeded. */
  hit(rule: RateRule, key: string, now: Date): Promise<void>;
}

export const RATE_RULES = {
  loginPerIp: { name: "login-ip", limit: 20, windowSeconds: 15 * 60 },
  loginPerAccount: { name: "login-account", limit: 10, windowSeconds: 15 * 60 },
  accountEmail: { name: "account-email", limit: 5, windowSeconds: 60 * 60 },
  submission: { name: "submission", limit: 5, windowSeconds: 60 * 60 },
  /** Invitations an organisation's admin (or a platform admin) sends, per inviting user. */
  invitationPerUser: { name: "invite-user", limit: 20, windowSeconds: 60 * 60 },
  /** Invitations per organisation, whoever sends them. */
  invitationPerOrganisation: { name: "invite-org", limit: 30, windowSeconds: 24 * 60 * 60 },
} satisfies Record<string, RateRule>;

/** Fixed-window counters in the rate_limits table (one upsert per hit). */
export function dbRateLimiter(db: Queryable): RateLimiter {
  return {
    async hit(rule, key, now) {
      const bucket = `${rule.name}:${key}`.slice(0, 300);
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
  };
}
