/**
 * The real server for security regression tests (test/*.security.test.ts): `npm start`'s
 * process on a fresh database (PGlite in a temporary DATA_DIR, or a database of its own on
 * TEST_DATABASE_URL) with the demo data, its mail going to an SMTP sink the test reads, and
 * TRUST_PROXY on so that each call can come from an address of its own (X-Forwarded-For;
 * every test server listens on 127.0.0.1 only, so the header is the test's to set).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, onPostgres, type TestDatabase } from "./db.ts";
import { type MailSink, startMailSink } from "./mail-sink.ts";
import { type RunningServer, startServer } from "./server.ts";

export const DEMO_PASSWORD = "security-demo-pw-7351";
export const DEMO = {
  admin: "admin@example.fi",
  moderator: "moderaattori@example.fi",
  organiser: "jarjestaja@example.fi",
} as const;

export interface CallOptions {
  body?: unknown;
  /** The session cookie value (kk_session) to send. */
  cookie?: string;
  /** The client address the server sees (X-Forwarded-For); default 198.51.100.1. */
  ip?: string;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  // Tests read arbitrary JSON fields from responses.
  body: Record<string, any>;
  text: string;
  res: Response;
}

export interface SecurityServer {
  url: string;
  server: RunningServer;
  mail: MailSink;
  /** Where the server keeps its data: the PGlite DATA_DIR, or the PostgreSQL database's URL. */
  database: { dataDir: string; url?: string };
  /** A request with the site's own Origin (override with headers.Origin). */
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>;
  /** Logs in and returns the session cookie value; throws unless 200. */
  login(email: string, password?: string, ip?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startSecurityServer(env: Record<string, string> = {}): Promise<SecurityServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "kk-sec-"));
  const pg: TestDatabase | undefined = onPostgres ? await createTestDatabase() : undefined;
  const mail = await startMailSink();
  const server = await startServer({
    ...(pg?.url ? { DATABASE_URL: pg.url } : { DATA_DIR: dataDir }),
    SEED: "demo",
    DEMO_PASSWORD,
    SMTP_URL: mail.url,
    TRUST_PROXY: "true",
    ...env,
  });
  const url = server.url;

  async function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {
      Origin: url,
      "X-Forwarded-For": opts.ip ?? "198.51.100.1",
      ...(opts.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(opts.cookie ? { Cookie: `kk_session=${opts.cookie}` } : {}),
      ...opts.headers,
    };
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      redirect: "manual",
      ...(opts.body !== undefined
        ? { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) }
        : {}),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // not JSON (HTML pages, feeds)
    }
    return { status: res.status, body, text, res };
  }

  async function login(email: string, password = DEMO_PASSWORD, ip?: string): Promise<string> {
    const r = await call("POST", "/api/v1/auth/login", { body: { email, password }, ...(ip ? { ip } : {}) });
    if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
    const cookie = r.res.headers.get("set-cookie") ?? "";
    return /kk_session=([^;]+)/.exec(cookie)?.[1] as string;
  }

  return {
    url,
    server,
    mail,
    database: { dataDir, ...(pg?.url ? { url: pg.url } : {}) },
    call,
    login,
    async stop() {
      await server.stop("SIGKILL");
      await mail.close();
      await pg?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
