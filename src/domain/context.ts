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
  /** The municipalities whose events this site shows (itself for now; neighbours later). */
  visible: readonly string[];
  /** The site's configured canonical URL (municipalities.public_url), if any. */
  publicUrl?: string | null;
  /** Logo and colours as stored (src/domain/site.ts reads them safely). */
  theme?: Readonly<{ logo_url?: string | null; colours?: Readonly<Record<string, string>> }>;
  /**
   * True for the default municipality of a region of one whose name was never edited (migration
   * 0008's placeholder): the site is then still called SITE_NAME and offers fi, sv and en with DEFAULT_LOCALE first, as a single-site
   * installation did before #21 (src/domain/site.ts).
   */
  unedited?: boolean;
  /**
   * The base URL of the site this request came to (src/http/tenant.ts): links in lists, feeds,
   * pages and mail start with it. Set per request; absent in region-wide jobs and tests.
   */
  baseUrl?: string;
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
