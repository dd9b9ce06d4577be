/**
 * Rate limits per municipality's site (#21): the limits on what a site receives (anonymous
 * submissions, writes without an account) count each site separately, so a busy or abused
 * site does not throttle a neighbouring one; the limits about an account or an inbox (failed
 * logins, mails to one address) stay regional, whichever site is used.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { municipalities } from "../src/db/schema.ts";
import { tenantCache } from "../src/http/tenant.ts";
import { onPostgres } from "./helpers/db.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

const B = "/rl-b";
let w: World;

beforeAll(async () => {
  const tenants = tenantCache();
  w = await createWorkflowWorld({ trustProxy: true, tenants });
  await w.database.db.insert(municipalities).values({ slug: "rl-b", name: { fi: "B-kunta" } });
  tenants.invalidate();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const from = (ip: string) => ({ "X-Forwarded-For": ip });
const submission = (email: string) => ({
  submitter: { name: "Matti", email },
  event: w.event({
    place_id: undefined,
    place: { name: { fi: "Nuorisotalo" }, street_address: "Kuja 1", locality: "Kylä" },
  }),
  website: "",
});

describe(`rate limits per site (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("counts anonymous submissions per site", async () => {
    const send = (prefix: string, i: number) =>
      w.raw("POST", `${prefix}/api/v1/submissions`, submission(`s${i}@example.fi`), from("203.0.113.10"));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send("", i)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    // The same address has its own budget on B's site.
    expect((await send(B, 6)).status).toBe(202);
  });

  it("counts writes without an account per site", async () => {
    const send = (prefix: string) =>
      w.raw("POST", `${prefix}/api/v1/submissions/confirm`, { token: "x".repeat(43) }, from("203.0.113.11"));
    for (let i = 0; i < 60; i++) expect((await send("")).status).not.toBe(429);
    expect((await send("")).status).toBe(429);
    expect((await send(B)).status).not.toBe(429);
  });

  it("keeps failed logins regional: guesses through one site count on the other", async () => {
    const send = (prefix: string, i: number) =>
      w.raw(
        "POST",
        `${prefix}/api/v1/auth/login`,
        { email: `guess${i}@a.test`, password: "wrong-password" },
        from("203.0.113.12"),
      );
    for (let i = 0; i < 20; i++) expect((await send(i % 2 ? B : "", i)).status).toBe(401);
    expect((await send(B, 20)).status).toBe(429);
    expect((await send("", 21)).status).toBe(429);
  });

  it("keeps the mails to one address regional", async () => {
    const send = (prefix: string, ip: string) =>
      w.raw("POST", `${prefix}/api/v1/submissions`, submission("uhri@example.fi"), from(ip));
    // Ten confirmation mails a day to one address, from any sites and addresses.
    for (let i = 0; i < 5; i++) expect((await send("", "203.0.113.20")).status).toBe(202);
    for (let i = 0; i < 5; i++) expect((await send(B, "203.0.113.21")).status).toBe(202);
    expect((await send(B, "203.0.113.22")).status).toBe(429);
    expect((await send("", "203.0.113.23")).status).toBe(429);
  });
});
