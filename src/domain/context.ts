/**
 * The context every domain function receives: database (or open transaction),
 * configuration, clock, logger, outbox and the tenant (the municipality whose site the
 * request is for, ADR 0006). Built per request by the app from its deps.
 */

import type { Config } from "../config.ts";
import type { LocalizedText } from "../contract/codes.ts";
import type { Db, Queryable, Tx } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { Outbox } from "./notifications/outbox.ts";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The municipality a request is for, resolved once per request (src/http/tenant.ts).
 * Commands write into `id`; public reads show the events of `visible`.
 */
export interface Tenant {
  id: string;
  slug: string;
  name: LocalizedText;
  languages: readonly string[];
  defaultLocale: string;
  settings: Readonly<Record<string, unknown>>;
  /**
   * The municipalities whose public events this site shows: itself first, then its chosen
   * neighbours and those within its radius (`visibleFrom` in tenants.ts).
   */
  visible: readonly string[];
}

export interface Ctx {
  db: Queryable;
  tenant: Tenant;
  config: Config;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  /** True when `db` is an open transaction. */
  inTransaction?: boolean;
}

/** The context of region-wide jobs (purge, scheduled work): no tenant. */
export type RegionCtx = Omit<Ctx, "tenant">;

/**
 * Runs `fn` inside one transaction. Reuses the outer transaction when there is one,
 * so a command composed of several domain functions commits or fails as a whole.
 */
export async function withTransaction<C extends RegionCtx, T>(ctx: C, fn: (tx: C) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return (ctx.db as Db).transaction((tx: Tx) => fn({ ...ctx, db: tx, inTransaction: true }));
}
