/**
 * The notification outbox. Notifications are written with `enqueue` inside the same
 * transaction as the change that causes them; a dispatcher later hands them to a
 * Mailer (SMTP in production, the log otherwise) and marks them sent. A failed send
 * is retried with back-off; rows are claimed with SKIP LOCKED so several dispatchers
 * never send the same message twice.
 */
import { and, asc, desc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Locale } from "../../contract/codes.ts";
import type { Queryable } from "../../db/client.ts";
import { outbox } from "../../db/schema.ts";
import type { Logger } from "../../logger.ts";

export interface Notification {
  kind: string;
  recipient: string;
  locale: Locale;
  payload: Record<string, unknown>;
  /**
   * Merge with an earlier notification of the same key to the same recipient written
   * within `windowSeconds`: while that one is unsent it takes this one's payload; once sent,
   * this one is dropped. A loop of changes (withdraw, submit, withdraw, …) thus mails once.
   */
  coalesce?: { key: string; windowSeconds: number };
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Turns a notification into an email; the workflow issue supplies real templates. */
export type Renderer = (n: Notification) => MailMessage;

export interface Outbox {
  /** Writes a notification; call it inside the transaction of the change that causes it. */
  enqueue(db: Queryable, notification: Notification, now: Date): Promise<void>;
  /** Sends up to `limit` due notifications; returns how many were sent. */
  dispatch(db: Queryable, now: Date, limit?: number): Promise<{ sent: number; failed: number }>;
}

/** Sends tried before a notification is given up (its available_at moves to 9999). */
export const MAX_ATTEMPTS = 8;

export const defaultRenderer: Renderer = (n) => ({
  to: n.recipient,
  subject: String(n.payload.subject ?? n.kind),
  text: String(n.payload.text ?? JSON.stringify(n.payload)),
});

/**
 * A mailer that only logs; used when SMTP_URL is not set. With `withText` (development and
 * tests on Node, never production) the message text, with its link, is logged too, as a
 * warning, so that confirmation and magic links can be followed without a mail server.
 */
export function logMailer(logger: Logger, opts: { withText?: boolean } = {}): Mailer {
  return {
    async send(m) {
      if (opts.withText) {
        logger.warn("mail (not sent: SMTP_URL is not set)", { to: m.to, subject: m.subject, text: m.text });
      } else {
        logger.info("mail (not sent: SMTP_URL is not set)", { to: m.to, subject: m.subject });
      }
    },
  };
}

export function createOutbox(mailer: Mailer, logger: Logger, render: Renderer = defaultRenderer): Outbox {
  return {
    async enqueue(db, n, now) {
      if (n.coalesce) {
        const since = new Date(now.getTime() - n.coalesce.windowSeconds * 1000);
        const [previous] = await db
          .select({ id: outbox.id, sentAt: outbox.sentAt })
          .from(outbox)
          .where(
            and(
              eq(outbox.coalesceKey, n.coalesce.key),
              eq(outbox.recipient, n.recipient),
              gt(outbox.createdAt, since),
            ),
          )
          .orderBy(desc(outbox.id))
          .limit(1);
        if (previous) {
          if (!previous.sentAt) {
            await db
              .update(outbox)
              .set({ payload: n.payload, locale: n.locale })
              .where(and(eq(outbox.id, previous.id), isNull(outbox.sentAt)));
          }
          return;
        }
      }
      await db.insert(outbox).values({
        createdAt: now,
        availableAt: now,
        kind: n.kind,
        recipient: n.recipient,
        locale: n.locale,
        payload: n.payload,
        coalesceKey: n.coalesce?.key ?? null,
      });
    },

    async dispatch(db, now, limit = 50) {
      const due = await db
        .select()
        .from(outbox)
        .where(and(isNull(outbox.sentAt), lte(outbox.availableAt, now)))
        .orderBy(asc(outbox.id))
        .limit(limit)
        .for("update", { skipLocked: true });
      let sent = 0;
      let failed = 0;
      const done: number[] = [];
      for (const row of due) {
        const n: Notification = {
          kind: row.kind,
          recipient: row.recipient,
          locale: row.locale as Locale,
          payload: row.payload,
        };
        try {
          await mailer.send(render(n));
          done.push(row.id);
          sent++;
        } catch (err) {
          failed++;
          const attempts = row.attempts + 1;
          const backoffMs = Math.min(2 ** attempts * 30_000, 6 * 3_600_000);
          logger.warn("outbox send failed", { id: row.id, attempts, err });
          await db
            .update(outbox)
            .set({
              attempts,
              lastError: String(err instanceof Error ? err.message : err).slice(0, 500),
              availableAt:
                attempts >= MAX_ATTEMPTS
                  ? new Date("9999-12-31T00:00:00Z")
                  : new Date(now.getTime() + backoffMs),
            })
            .where(eq(outbox.id, row.id));
        }
      }
      if (done.length > 0) {
        await db
          .update(outbox)
          .set({ sentAt: now, attempts: sql`${outbox.attempts} + 1` })
          .where(inArray(outbox.id, done));
      }
      return { sent, failed };
    },
  };
}
