/**
 * Limits drill: oversized bodies get 413 (with and without Content-Length, in-process and
 * on the real server), RRULE bombs get a 400 problem naming rrule quickly, static file paths cannot
 * leave web/dist (raw HTTP request targets with `..` segments and encoded variants, sent
 * over a socket because fetch would normalise them), and no redirect target can be taken
 * from the request: there is no `next`/redirect parameter in any auth flow, and the links
 * the API builds (pagination, emails) use PUBLIC_URL whatever the Host header says.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, onPostgres, type TestDatabase } from "../helpers/db.ts";
import { type RunningServer, startServer } from "../helpers/server.ts";
import { createWorkflowWorld, ORIGIN, type World } from "../helpers/workflow.ts";
import { expectProblem, postJson, WRITE_PATHS } from "./hostile.ts";

let w: World;
let server: RunningServer;
let dataDir: string;
let pg: TestDatabase | undefined;

beforeAll(async () => {
  w = await createWorkflowWorld();
  dataDir = await mkdtemp(join(tmpdir(), "kk-limits-"));
  if (onPostgres) pg = await createTestDatabase();
  server = await startServer({
    ...(pg?.url ? { DATABASE_URL: pg.url } : { DATA_DIR: dataDir }),
    SEED: "none",
  });
}, 120_000);

afterAll(async () => {
  await server?.stop("SIGKILL");
  await pg?.close();
  await w?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Sends raw bytes over TCP and returns the status and the whole response text. */
function rawHttp(
  url: string,
  request: string | Buffer[],
  waitMs = 10_000,
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    }, waitMs);
    socket.on("connect", async () => {
      if (typeof request === "string") socket.write(request);
      else for (const chunk of request) if (!socket.destroyed) socket.write(chunk);
    });
    socket.on("data", (d) => {
      text += d.toString("latin1");
      // One response is enough: stop at the end of a Content-Length body or a closed chunked one.
      const m = /\r\n\r\n/.exec(text);
      const len = /content-length: (\d+)/i.exec(text)?.[1];
      if (m && ((len && text.length >= m.index + 4 + Number(len)) || /\r\n0\r\n\r\n$/.test(text)))
        socket.end();
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      if (text) resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
      else reject(err);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

describe(`limits drill (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("answers oversized bodies with 413, with or without Content-Length", async () => {
    const big = JSON.stringify({ title: { fi: "x".repeat(300_000) } });
    for (const path of WRITE_PATHS) {
      const res = await postJson(w.t.app, path, big);
      await expectProblem(res, 413);
      // Streamed without a Content-Length: the limit still holds.
      const stream = new ReadableStream({
        start(ctrl) {
          for (let i = 0; i < 40; i++) ctrl.enqueue(new TextEncoder().encode("x".repeat(10_000)));
          ctrl.close();
        },
      });
      const streamed = await w.t.app.request(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: ORIGIN },
        body: stream,
        duplex: "half",
      } as RequestInit);
      await expectProblem(streamed, 413);
    }
    // The real server, chunked, 2 MB: a 413 and a server that still answers.
    const head =
      "POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    const chunk = Buffer.from(`${(64 * 1024).toString(16)}\r\n${"y".repeat(64 * 1024)}\r\n`);
    const res = await rawHttp(server.url, [
      Buffer.from(head),
      ...Array.from({ length: 32 }, () => chunk),
      Buffer.from("0\r\n\r\n"),
    ]);
    expect(res.status).toBe(413);
    expect(res.text).toMatch(/application\/problem\+json/);
    const declared = await rawHttp(
      server.url,
      `POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\nConnection: close\r\n\r\n{"a":`,
    );
    expect(declared.status).toBe(413);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("rejects RRULE bombs with a 400 problem naming rrule, quickly, on create, edit and anonymous submission", async () => {
    const member = w.as("member");
    const bombs = [
      "FREQ=SECONDLY",
      "FREQ=SECONDLY;COUNT=100000",
      "FREQ=MINUTELY;INTERVAL=1",
      "FREQ=HOURLY;UNTIL=20300101T000000Z",
      "FREQ=DAILY;COUNT=100000",
      "FREQ=DAILY;UNTIL=20760701",
      "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;UNTIL=20760701T000000Z",
      "FREQ=DAILY;COUNT=1001",
      "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
      "FREQ=MONTHLY;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20;UNTIL=20760101",
      "FREQ=DAILY;COUNT=99999999999999999999",
    ];
    const draft = await w.eventIn("draft");
    for (const rrule of bombs) {
      const started = performance.now();
      const created = await member("POST", "/api/v1/events", {
        organisation_id: w.orgA.id,
        ...w.event({ rrule }),
      });
      const problem = await expectProblem(created.res, 400);
      expect(JSON.stringify(problem.errors), rrule).toContain("rrule");
      const patched = await member("PATCH", `/api/v1/events/${draft.id}`, { version: draft.version, rrule });
      expect(patched.status, `PATCH ${rrule}`).toBe(400);
      await expectProblem(patched.res, 400);
      expect(performance.now() - started, rrule).toBeLessThan(5_000);
    }
    const anon = await w.as("anonymous")("POST", "/api/v1/submissions", {
      submitter: { name: "Pommi", email: "pommi@example.com" },
      event: w.event({ rrule: "FREQ=DAILY;UNTIL=20760701" }),
      website: "",
    });
    await expectProblem(anon.res, 400);
  });

  it("keeps static file paths inside web/dist (raw request targets, encoded and double-encoded)", async () => {
    const targets = [
      "/../package.json",
      "/../../../../etc/passwd",
      "/assets/../../package.json",
      "/%2e%2e/package.json",
      "/%2e%2e%2fpackage.json",
      "/..%2fpackage.json",
      "/..%2f..%2f..%2fetc%2fpasswd",
      "/.%2e/.%2e/package.json",
      "/%2E%2E/%2E%2E/src/config.ts",
      "/..%5cpackage.json",
      "/..\\..\\package.json",
      "/%252e%252e/package.json",
      "/....//....//package.json",
      "/assets/%2e%2e/%2e%2e/tsconfig.json",
      "/assets/..%2f..%2f..%2fsrc%2fruntime%2fnode%2fmain.ts",
      "/%c0%ae%c0%ae/package.json",
      "/index.html%00../../package.json",
      "//etc/passwd",
      "/./../package.json",
      "/favicon.svg/../../package.json",
      "/web/dist/../../package.json",
      "http://127.0.0.1/../package.json",
    ];
    for (const target of targets) {
      for (const method of ["GET", "HEAD"]) {
        const res = await rawHttp(
          server.url,
          `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
          5_000,
        );
        expect(res.status, `${method} ${target}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${method} ${target}`).toBeLessThan(500);
        expect(res.text, target).not.toContain("devDependencies");
        expect(res.text, target).not.toMatch(/root:.*:0:0:/);
        expect(res.text, target).not.toContain("loadConfig");
        expect(res.text, target).not.toContain("compilerOptions");
        if (res.status === 200 && method === "GET") {
          // Only files of web/dist: the shell or one of its assets.
          expect(res.text, target).toMatch(/<html|<svg/);
        }
      }
    }
    // The files that are there still are.
    expect((await fetch(`${server.url}/favicon.svg`)).status).toBe(200);
  });

  it("has no redirect parameter to abuse, and builds links from PUBLIC_URL whatever the Host says", async () => {
    // No route answers with a redirect, and no auth flow takes a next/redirect/return parameter.
    for (const path of [
      "/api/v1/auth/login?next=https://evil.example",
      "/api/v1/auth/login?redirect=//evil.example",
      "/api/v1/auth/verify-email?next=https://evil.example",
      "/api/v1/submissions/confirm?return_to=https://evil.example",
    ]) {
      const res = await postJson(
        w.t.app,
        path,
        JSON.stringify({ email: "member@a.test", password: "wrong-password", token: "x".repeat(20) }),
      );
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get("location"), path).toBeNull();
    }
    const evilHost = {
      Host: "evil.example",
      "X-Forwarded-Host": "evil.example",
      "X-Forwarded-Proto": "https",
    };
    const login = await w.raw(
      "POST",
      "/api/v1/auth/login",
      { email: "member@a.test", password: "salasana-123456" },
      evilHost,
    );
    expect(login.status).toBe(200);
    expect(login.res.headers.get("location")).toBeNull();
    await w.eventIn("published");
    await w.eventIn("published");
    const page = await w.t.app.request("http://evil.example/api/v1/events?limit=1&from=2026-06-01", {
      headers: evilHost,
    });
    const body = (await page.json()) as { next: string | null };
    expect(body.next).toMatch(/^http:\/\/kalenteri\.test\/api\/v1\/events\?/);
    // Emailed links (password reset, submission confirmation) point at PUBLIC_URL too.
    const reset = await w.t.app.request("http://evil.example/api/v1/auth/password-reset", {
      method: "POST",
      headers: { ...evilHost, "Content-Type": "application/json", Origin: ORIGIN },
      body: JSON.stringify({ email: "member@a.test" }),
    });
    expect(reset.status).toBe(202);
    const mails = JSON.stringify(await w.mailsTo("member@a.test"));
    expect(mails).not.toContain("evil.example");
  });

  it("does not spend the slow password hash on a wrong reset token (found by the fuzz drill)", async () => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      const r = await w.as("anonymous")("POST", "/api/v1/auth/password-reset/confirm", {
        token: `wrong-token-${i}-xxxxxxxx`,
        password: "uusi-salasana-123456",
      });
      const problem = await expectProblem(r.res, 400);
      expect(JSON.stringify(problem.errors)).toContain("token");
    }
    // 20 PBKDF2 hashes of 600,000 iterations would take several seconds.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("regressions found by the fuzz drill: NUL, invalid Unicode and malformed escapes in filters and feed paths", async () => {
    for (const path of [
      "/feeds/places/a%00b.ics",
      "/feeds/categories/%ED%A0%80.ics",
      "/feeds/organisations/%zz.rss",
      "/api/v1/events?category=a%00b",
      "/api/v1/events?place=%00",
      "/feeds/events.ics?organisation=x%00y",
    ]) {
      const res = await w.t.app.request(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      await expectProblem(res);
    }
    // A slug that was percent-encoded once is decoded once.
    const feed = await w.t.app.request("/feeds/categories/musiikki%2525.ics");
    const problem = await expectProblem(feed, 404);
    expect(JSON.stringify(problem)).toContain("musiikki%25");
  });
});
