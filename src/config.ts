/**
 * Configuration: the only module that interprets environment variables.
 * `loadConfig(env)` validates them with zod and fails fast with messages that name
 * the variable. The result is passed into the app; nothing else reads the environment.
 */
import { z } from "zod";
import { LOCALES } from "./contract/codes.ts";

const DEV_SESSION_SECRET = "dev-only-secret-change-me-in-production-0000";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "must be an IANA time zone such as Europe/Helsinki" },
);

const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), { message: "must start with postgres:// or postgresql://" });

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  PUBLIC_URL: z.string().url().optional(),
  DEFAULT_LOCALE: z.enum(LOCALES).default("fi"),
  TIMEZONE: timeZone.default("Europe/Helsinki"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SMTP_URL: z
    .string()
    .url()
    .refine((u) => /^smtps?:\/\//.test(u), { message: "must start with smtp:// or smtps://" })
    .optional(),
  MAIL_FROM: z.string().min(3).default("Kuntakalenteri <noreply@localhost>"),
  SEED: z.enum(["demo", "none"]).default("demo"),
  DEMO_PASSWORD: z.string().min(8).default("kuntakalenteri-demo"),
  /** Slug of the municipality served when neither the host nor the path names one (#21). */
  DEFAULT_MUNICIPALITY: z.string().min(1).optional(),
  SITE_NAME: z.string().min(1).default("Nurmijärven tapahtumakalenteri"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50_000_000)
    .default(256 * 1024),
  TRUST_PROXY: bool.default(false),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  // Minutes (fractions allowed, e.g. 0.5); default 8 h, see docs/security.md.
  SESSION_IDLE_TIMEOUT_MINUTES: z.coerce
    .number()
    .min(0.05)
    .max(30 * 24 * 60)
    .default(8 * 60),
  /** Days a sent (or finally failed) mail stays in the outbox: support can answer "was it sent?". */
  RETENTION_SENT_MAIL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /**
   * Days before the moderation log's personal data (who acted, free-text reasons, content
   * diffs) is anonymised; the decision itself stays. Two years: a complaint about a matter
   * older than that is not normally examined (Administrative Procedure Act 434/2003, 53 b §).
   */
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(30).max(36500).default(730),
  /**
   * Days an anonymous submission whose address was never confirmed is kept (the link is
   * valid 48 h); then the draft is deleted and the name and address erased.
   */
  RETENTION_UNCONFIRMED_DAYS: z.coerce.number().int().min(3).max(365).default(7),
  /** Where `npm run backup` and the scheduled backups write (docs/operations.md). */
  BACKUP_DIR: z.string().min(1).default("./backups"),
  /** Scheduled backups from the running Node server, e.g. "6h", "1d", "30m" (unset: none). */
  BACKUP_INTERVAL: z
    .string()
    .regex(/^\d+(s|m|h|d)$/, "must be a number and a unit: s, m, h or d (e.g. 6h)")
    .transform(
      (v) =>
        Number(v.slice(0, -1)) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[v.slice(-1) as "s"],
    )
    .refine((ms) => ms >= 10_000, "must be at least 10s")
    .optional(),
  /** How many scheduled backups to keep in BACKUP_DIR (older ones are deleted). */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
  /** GET /metrics (Prometheus) needs `Authorization: Bearer <METRICS_TOKEN>`; unset: no /metrics. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Also serve /metrics without a token on this internal address (a second listener). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * Memory for the response cache and for built feeds, in MB (Node; on Workers the Cache API
   * holds them). Unset: 32 and 64 with PostgreSQL, 12 and 12 with the embedded PGlite, whose
   * own WebAssembly memory (at least 128 MB) shares the process (#15: 300 MB in all).
   */
  RESPONSE_CACHE_MB: z.coerce.number().min(1).max(4096).optional(),
  FEED_CACHE_MB: z.coerce.number().min(1).max(4096).optional(),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** Absolute base URL of the site, without a trailing slash. */
  publicUrl: string;
  defaultLocale: (typeof LOCALES)[number];
  timezone: string;
  sessionSecret: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  seed: "demo" | "none";
  demoPassword: string;
  siteName: string;
  /** DEFAULT_MUNICIPALITY (src/http/tenant.ts); unset: the only municipality, or "default". */
  defaultMunicipality?: string | undefined;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  bodyLimitBytes: number;
  trustProxy: boolean;
  shutdownTimeoutMs: number;
  /**
   * Whether PUBLIC_URL was set. Without it, `publicUrl` is only a guess (localhost), so the
   * CSRF check also accepts the origin the request itself came to (its Host).
   */
  publicUrlExplicit: boolean;
  /** A session unused this long ends (the absolute lifetime still applies). */
  sessionIdleTimeoutMinutes: number;
  /** Personal-data retention, in days (purgeExpired, src/domain/privacy/purge.ts). */
  retention: { sentMailDays: number; auditDays: number; unconfirmedDays: number };
  /** Backups (src/runtime/node/backup.ts): directory, schedule (ms; undefined: none), retention. */
  backup: { dir: string; intervalMs: number | undefined; keep: number };
  /** Prometheus metrics: off unless a token or an internal port is configured. */
  metrics: { token: string | undefined; host: string; port: number | undefined };
  /** RESPONSE_CACHE_MB, FEED_CACHE_MB; undefined: the runtime's default (cacheBudget). */
  cacheMb: { response: number | undefined; feeds: number | undefined };
}

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates an environment record (e.g. process.env or Workers bindings) into a Config. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Treat empty strings as unset, as shells and .env files often produce them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "?"), message: i.message })),
    );
  }
  const e = parsed.data;
  if (e.NODE_ENV === "production" && !e.SESSION_SECRET) {
    throw new ConfigError([{ variable: "SESSION_SECRET", message: "is required when NODE_ENV=production" }]);
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    publicUrl,
    defaultLocale: e.DEFAULT_LOCALE,
    timezone: e.TIMEZONE,
    sessionSecret: e.SESSION_SECRET ?? DEV_SESSION_SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    seed: e.SEED,
    demoPassword: e.DEMO_PASSWORD,
    siteName: e.SITE_NAME,
    defaultMunicipality: e.DEFAULT_MUNICIPALITY,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    trustProxy: e.TRUST_PROXY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    publicUrlExplicit: e.PUBLIC_URL !== undefined,
    sessionIdleTimeoutMinutes: e.SESSION_IDLE_TIMEOUT_MINUTES,
    retention: {
      sentMailDays: e.RETENTION_SENT_MAIL_DAYS,
      auditDays: e.RETENTION_AUDIT_DAYS,
      unconfirmedDays: e.RETENTION_UNCONFIRMED_DAYS,
    },
    backup: { dir: e.BACKUP_DIR, intervalMs: e.BACKUP_INTERVAL, keep: e.BACKUP_KEEP },
    metrics: { token: e.METRICS_TOKEN, host: e.METRICS_HOST, port: e.METRICS_PORT },
    cacheMb: { response: e.RESPONSE_CACHE_MB, feeds: e.FEED_CACHE_MB },
  };
}

/**
 * The Node process's cache budgets in bytes: as configured, else by database. PGlite runs in
 * the process (a WebAssembly heap of at least 128 MB), so its defaults leave room for it.
 */
export function cacheBudget(config: Pick<Config, "cacheMb">, driver: "pglite" | "postgres") {
  const mb = (v: number | undefined, pglite: number, postgres: number) =>
    Math.round((v ?? (driver === "pglite" ? pglite : postgres)) * 1024 * 1024);
  return { responseBytes: mb(config.cacheMb.response, 12, 32), feedBytes: mb(config.cacheMb.feeds, 12, 64) };
}
