/** Forbidden transitions, stale versions, parallel decisions and invalid input. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, outbox } from "../src/db/schema.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
});
afterAll(async () => {
  await w.close();
});

const expectProblem = (
  r: { status: number; body: Record<string, unknown>; res: Response },
  status: number,
  slug: string,
) => {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.res.headers.get("content-type")).toMatch(/application\/problem\+json/);
  expect(String(r.body.type)).toContain(`#problem-${slug}`);
};

describe("forbidden transitions over HTTP (409 invalid-transition)", () => {
  const mod =
    (action: string, extra: Record<string, unknown> = {}) =>
    async (id: string, version: number) =>
      w.as("moderator")("POST", `/api/v1/moderation/events/${id}/${action}`, { version, ...extra });
  const org = (action: string) => async (id: string, version: number) =>
    w.as("member")("POST", `/api/v1/events/${id}/${action}`, { version });
  const cases: [
    string,
    "draft" | "pending" | "published" | "rejected" | "cancelled" | "postponed",
    (id: string, v: number) => Promise<{ status: number; body: Record<string, unknown>; res: Response }>,
  ][] = [
    ["approve a draft", "draft", mod("approve")],
    ["reject a draft", "draft", mod("reject", { reason: "x" })],
    ["request changes on a draft", "draft", mod("request-changes", { comment: "x" })],
    ["withdraw a draft", "draft", org("withdraw")],
    ["cancel a draft", "draft", org("cancel")],
    ["postpone a draft", "draft", org("postpone")],
    ["submit a pending event", "pending", org("submit")],
    ["cancel a pending event", "pending", org("cancel")],
    ["approve a published event without revision", "published", mod("approve")],
    ["reject a published event without revision", "published", mod("reject", { reason: "x" })],
    ["submit a published event", "published", org("submit")],
    ["withdraw a published event", "published", org("withdraw")],
    ["approve a rejected event", "rejected", mod("approve")],
    ["submit a rejected event", "rejected", org("submit")],
    ["cancel a rejected event", "rejected", org("cancel")],
    ["cancel a cancelled event", "cancelled", org("cancel")],
    ["postpone a cancelled event", "cancelled", org("postpone")],
    ["postpone a postponed event", "postponed", org("postpone")],
  ];
  it.each(cases)("%s", async (_name, state, act) => {
    const { id, version } = await w.eventIn(state, { place_id: w.otherPlace.id });
    expectProblem(await act(id, version), 409, "invalid-transition");
  });

  it("edit of a rejected event is refused", async () => {
    const { id, version } = await w.eventIn("rejected", { place_id: w.otherPlace.id });
    expectProblem(
      await w.as("member")("PATCH", `/api/v1/events/${id}`, { version, title: { fi: "x" } }),
      409,
      "invalid-transition",
    );
  });
});

describe("optimistic concurrency", () => {
  it("a stale edit gets 409 with the current version, never a lost update", async () => {
    const { id, version } = await w.eventIn("draft");
    const first = await w.as("member")("PATCH", `/api/v1/events/${id}`, {
      version,
      title: { fi: "Ensimmäinen" },
    });
    expect(first.status).toBe(200);
    const stale = await w.as("orgAdmin")("PATCH", `/api/v1/events/${id}`, {
      version,
      title: { fi: "Toinen" },
    });
    expectProblem(stale, 409, "conflict");
    expect(stale.body.current_version).toBe(version + 1);
    const [row] = await w.database.db.select().from(events).where(eq(events.id, id));
    expect(row?.title).toEqual({ fi: "Ensimmäinen" });
  });

  it("two moderators deciding at once: one wins, the other gets 409", async () => {
    const { id, version } = await w.eventIn("pending");
    const [a, b] = await Promise.all([
      w.as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, { version }),
      w.as("admin")("POST", `/api/v1/moderation/events/${id}/reject`, { version, reason: "Päällekkäinen" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const log = await w.as("moderator")("GET", `/api/v1/moderation/log?event_id=${id}`);
    expect(
      log.body.data.filter((e: { action: string }) => ["approve", "reject"].includes(e.action)),
    ).toHaveLength(1);
  });

  it("an organiser's edit of a pending event makes a moderator's decision on the old version fail", async () => {
    const { id, version } = await w.eventIn("pending");
    await w.as("member")("PATCH", `/api/v1/events/${id}`, { version, title: { fi: "Korjattu" } });
    expectProblem(
      await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, { version }),
      409,
      "conflict",
    );
  });

  it("bulk decisions are all or nothing", async () => {
    const a = await w.eventIn("pending");
    const b = await w.eventIn("pending");
    const r = await w.as("moderator")("POST", "/api/v1/moderation/bulk", {
      action: "reject",
      reason: "Roskaposti",
      items: [a, { id: b.id, version: b.version - 1 }],
    });
    expectProblem(r, 409, "conflict");
    const [row] = await w.database.db.select().from(events).where(eq(events.id, a.id));
    expect(row?.state).toBe("pending");
  });
});

describe("input validation names the field", () => {
  const create = (over: Record<string, unknown>) =>
    w.as("member")("POST", "/api/v1/events", { organisation_id: w.orgA.id, ...w.event(over) });

  it.each([
    ["title.fi", { title: { fi: "x".repeat(201) } }],
    ["title", { title: {} }],
    ["short_description.sv", { short_description: { sv: "x".repeat(161) } }],
    ["description.en", { description: { en: "x".repeat(10_001) } }],
    ["start", { start: "2026-07-01T18:00:00" }],
    ["end", { end: "2026-06-01T18:00:00+03:00" }],
    ["categories.0", { categories: ["ei-ole"] }],
    ["place_id", { place_id: "00000000-0000-4000-8000-000000000000" }],
    ["image.url", { image: { url: "javascript:alert(1)" } }],
    ["accessibility.0", { accessibility: ["flying"] }],
    ["audience.max_age", { audience: { min_age: 10, max_age: 5 } }],
    ["price.fi", { price: { fi: "x".repeat(201) } }],
    ["links.0.url", { links: [{ url: "ftp://x" }] }],
    ["color", { color: "red" }],
  ])("%s", async (path, over) => {
    const r = await create(over);
    expectProblem(r, 400, "validation-error");
    expect((r.body.errors as { path: string }[]).map((e) => e.path)).toContain(path);
  });

  it("each field error carries a machine-readable code and limit for translated messages", async () => {
    const r = await create({
      title: { fi: "x".repeat(201) },
      ticket_url: "not a url",
      audience: { min_age: -1 },
    });
    expectProblem(r, 400, "validation-error");
    const errors = r.body.errors as { path: string; code?: string; maximum?: number; minimum?: number }[];
    expect(errors).toContainEqual(
      expect.objectContaining({ path: "title.fi", code: "too_big", maximum: 200 }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({ path: "audience.min_age", code: "too_small", minimum: 0 }),
    );
    expect(errors.find((e) => e.path === "ticket_url")?.code).toMatch(/^(invalid_format|custom)$/);
    // Editing reports the same codes (the patch is checked in the domain, not by the route).
    const { id, version } = await w.eventIn("draft");
    const p = await w.as("member")("PATCH", `/api/v1/events/${id}`, {
      version,
      title: { fi: "y".repeat(201) },
    });
    expectProblem(p, 400, "validation-error");
    expect(p.body.errors).toContainEqual(
      expect.objectContaining({ path: "title.fi", code: "too_big", maximum: 200 }),
    );
  });

  it("a bad recurrence rule is 400 naming rrule and nothing is written", async () => {
    const before = await w.database.db.select().from(events);
    const r = await create({ rrule: "FREQ=SECONDLY" });
    expectProblem(r, 400, "validation-error");
    expect((r.body.errors as { path: string }[])[0]?.path).toBe("rrule");
    expect(await w.database.db.select().from(events)).toHaveLength(before.length);
  });

  it("a failing command leaves no notification behind (one transaction)", async () => {
    const before = (await w.database.db.select().from(outbox)).length;
    const { id, version } = await w.eventIn("pending");
    const afterSubmit = (await w.database.db.select().from(outbox)).length;
    await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/reject`, {
      version: version + 5,
      reason: "x",
    });
    expect((await w.database.db.select().from(outbox)).length).toBe(afterSubmit);
    expect(afterSubmit).toBeGreaterThan(before);
  });

  it("a rejection needs a reason", async () => {
    const { id, version } = await w.eventIn("pending");
    const r = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/reject`, { version });
    expectProblem(r, 400, "validation-error");
    expect(r.body.errors[0].path).toBe("reason");
  });
});
