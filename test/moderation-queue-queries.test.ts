/**
 * The moderation queue answers in a constant number of SQL statements, whatever the page size
 * (it used to run about five per item): the page and its counts, then the events, their owners,
 * categories, pending revisions and duplicate warnings, each for the whole page at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

let w: World;
let counting = false;
let statements = 0;

beforeAll(async () => {
  w = await createWorkflowWorld({
    onQuery: () => {
      if (counting) statements++;
    },
  });
  // Two submissions at the same place and time (so duplicates are found), one revision.
  await w.eventIn("pending");
  await w.eventIn("pending");
  await w.eventIn("revision");
});
afterAll(async () => {
  await w?.close();
});

async function queueStatements(limit: number): Promise<{ items: number; statements: number; body: any }> {
  const moderator = w.as("moderator");
  await moderator("GET", "/api/v1/me"); // the session lookup is not the queue's
  statements = 0;
  counting = true;
  const r = await moderator("GET", `/api/v1/moderation/queue?limit=${limit}`);
  counting = false;
  expect(r.status).toBe(200);
  return { items: r.body.data.length, statements, body: r.body };
}

describe("moderation queue", () => {
  it("runs the same number of statements for 1 item and for 10", async () => {
    const one = await queueStatements(1);
    expect(one.items).toBe(1);
    for (let i = 0; i < 7; i++) await w.eventIn("pending");
    const ten = await queueStatements(10);
    expect(ten.items).toBe(10);
    expect(ten.statements).toBe(one.statements);
    expect(ten.statements).toBeLessThanOrEqual(12);
    // And the items are complete: kinds, owners, categories, the revision's diff, duplicates.
    const revision = ten.body.data.find((i: { kind: string }) => i.kind === "revision");
    expect(revision.changes.some((c: { field: string }) => c.field.startsWith("title"))).toBe(true);
    const submission = ten.body.data.find((i: { kind: string }) => i.kind === "submission");
    expect(submission.organisation.name).toBe("Yhdistys A");
    expect(submission.event.categories).toEqual(["musiikki"]);
    expect(submission.duplicates.length).toBeGreaterThan(0);
  });
});
