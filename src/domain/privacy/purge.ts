/**
 * Scheduled purge of personal data that has served its purpose (GDPR storage limitation):
 * sent mail, spent email tokens, ended sessions, stale rate-limit windows, anonymous
 * submissions never confirmed, and the personal parts of old moderation-log entries.
 * Retention comes from the configuration (RETENTION_* in src/config.ts). Runs hourly on
 * Node (src/runtime/node/main.ts) and from the Workers cron (src/runtime/worker/main.ts).
 *
 * Idempotent (a second run finds nothing), and bounded: each step works in batches of
 * `batchSize` rows, one transaction per batch, at most `maxBatches` per step and run; what
 * is left waits for the next run.
 */
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import { type RegionCtx, withTransaction } from "../context.ts";
import { MAX_ATTEMPTS } from "../notifications/outbox.ts";
import { RATE_RULES } from "../rate-limit.ts";

export interface PurgeReport {
  /** Sent (or finally failed) notifications past RETENTION_SENT_MAIL_DAYS. */
  sent_mail: number;
  /** Email tokens that expired, or were used more than a day ago. */
  email_tokens: number;
  /** Sessions that expired or were revoked. */
  sessions: number;
  /** Rate-limit windows older than the longest window. */
  rate_limits: number;
  /** Anonymous submissions never confirmed within RETENTION_UNCONFIRMED_DAYS: erased. */
  unconfirmed_submissions: number;
  /** Moderation-log entries older than RETENTION_AUDIT_DAYS: actor, reason and diffs removed. */
  audit_entries: number;
}

export interface PurgeOptions {
  batchSize?: number;
  maxBatches?: number;
}

const DAY_MS = 86_400_000;
/** The keys of a moderation-log snapshot that say what happened, not who or what was written. */
const AUDIT_KEYS = ["state", "event_status", "version", "sequence", "trusted", "organisation_id"];

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

/** Runs every purge step; returns how many rows each step deleted or anonymised. */
/** Region-wide: purges every municipality's expired data. */
export async function purgeExpired(ctx: RegionCtx, opts: PurgeOptions = {}): Promise<PurgeReport> {
  const batch = opts.batchSize ?? 500;
  const maxBatches = opts.maxBatches ?? 20;
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const retention = ctx.config.retention;

  /** Runs one batch statement (returning one row per affected row) until a batch comes back short. */
  const inBatches = async (statement: (limit: number) => SQL): Promise<number> => {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await withTransaction(ctx, async (tx) => (await queryRows(tx.db, statement(batch))).length);
      total += n;
      if (n < batch) break;
    }
    return total;
  };

  const mailCutoff = ago(now, retention.sentMailDays * DAY_MS);
  const sent_mail = await inBatches(
    (limit) => sql`delete from outbox where id in (
        select id from outbox
        where (sent_at is not null and sent_at < ${mailCutoff}::timestamptz)
           or (sent_at is null and attempts >= ${MAX_ATTEMPTS} and created_at < ${mailCutoff}::timestamptz)
        order by id limit ${limit})
      returning id`,
  );

  const usedCutoff = ago(now, DAY_MS);
  const email_tokens = await inBatches(
    (limit) => sql`delete from email_tokens where id in (
        select id from email_tokens
        where expires_at < ${nowIso}::timestamptz or used_at < ${usedCutoff}::timestamptz
        limit ${limit})
      returning id`,
  );

  const sessions = await inBatches(
    (limit) => sql`delete from sessions where id in (
        select id from sessions
        where expires_at < ${nowIso}::timestamptz or revoked_at is not null
        limit ${limit})
      returning id`,
  );

  const longestWindow = Math.max(...Object.values(RATE_RULES).map((r) => r.windowSeconds)) * 1000;
  const windowCutoff = ago(now, longestWindow);
  const rate_limits = await inBatches(
    (limit) => sql`delete from rate_limits where key in (
        select key from rate_limits where window_start < ${windowCutoff}::timestamptz limit ${limit})
      returning key`,
  );

  // A submission whose address was never confirmed: its draft goes, name and address are erased.
  const unconfirmedCutoff = ago(now, retention.unconfirmedDays * DAY_MS);
  const unconfirmed_submissions = await inBatches(
    (limit) => sql`with stale as (
        select id from submitters
        where confirmed_at is null and deleted_at is null and created_at < ${unconfirmedCutoff}::timestamptz
        order by created_at limit ${limit}
      ), drafts as (
        -- runs to completion although nothing reads it (PostgreSQL's rule for WITH … UPDATE)
        update events set deleted_at = ${nowIso}::timestamptz, updated_at = ${nowIso}::timestamptz
        where submitter_id in (select id from stale) and deleted_at is null and state <> 'published'
        returning id
      )
      update submitters set name = '', email = 'erased-' || id::text || '@invalid',
        deleted_at = ${nowIso}::timestamptz
      where id in (select id from stale)
      returning id`,
  );

  // Old moderation-log entries keep what happened and when; who did it and what they wrote go.
  const auditCutoff = ago(now, retention.auditDays * DAY_MS);
  const keys = sql.join(
    AUDIT_KEYS.map((k) => sql`${k}`),
    sql`, `,
  );
  const personal = (column: SQL) =>
    sql`exists (select 1 from jsonb_object_keys(case when jsonb_typeof(${column}) = 'object' then ${column} else '{}'::jsonb end) k
                where k not in (${keys}))`;
  const kept = (column: SQL) =>
    sql`(select jsonb_object_agg(j.key, j.value) from jsonb_each(case when jsonb_typeof(${column}) = 'object' then ${column} else '{}'::jsonb end) j
         where j.key in (${keys}))`;
  const audit_entries = await inBatches(
    (limit) => sql`update moderation_log set actor_id = null, reason = null,
        before = ${kept(sql`before`)}, after = ${kept(sql`after`)}
      where id in (
        select id from moderation_log
        where created_at < ${auditCutoff}::timestamptz
          and (actor_id is not null or reason is not null or ${personal(sql`before`)} or ${personal(sql`after`)})
        order by id limit ${limit})
      returning id`,
  );

  return { sent_mail, email_tokens, sessions, rate_limits, unconfirmed_submissions, audit_entries };
}
