/**
 * The context every domain function receives: database (or open transaction),
 * configuration, clock, logger and outbox. Built per request by the app from its deps.
 */
import type { Config } from "../config.ts";
import type { Db, Queryable, Tx } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { Outbox } from "./notifications/outbox.ts";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Ctx {
  db: Queryable;
  config: Config;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  /** True when `db` is an open transaction. */
  inTransaction?: boolean;
}

/**
 * Runs `fn` inside one transaction. Reuses the outer transaction when there is one,
 * so a command composed of several domain functions commits or fails as a whole.
 */
export async function withTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return (ctx.db as Db).transaction((tx: Tx) => fn({ ...ctx, db: tx, inTransaction: true }));
}
