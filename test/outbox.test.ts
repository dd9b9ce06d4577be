/** The notification outbox: transactional enqueue, dispatch, retry with back-off. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox as outboxTable } from "../src/db/schema.ts";
import { createOutbox, type MailMessage } from "../src/domain/notifications/outbox.ts";
import { createMemoryLogger } from "../src/logger.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const T0 = new Date("2026-10-01T09:00:00Z");

const note = (to: string) => ({
  kind: "test",
  recipient: to,
  locale: "fi" as const,
  payload: { subject: `Hei ${to}`, text: "Tapahtumasi on vastaanotettu." },
});

describe("outbox", () => {
  it("keeps nothing from a rolled-back transaction, and sends what was committed exactly once", async () => {
    const sent: MailMessage[] = [];
    const ob = createOutbox({ send: async (m) => void sent.push(m) }, createMemoryLogger());
    await expect(
      database.db.transaction(async (tx) => {
        await ob.enqueue(tx, note("rollback@example.fi"), T0);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await database.db.transaction((tx) => ob.enqueue(tx, note("ok@example.fi"), T0));

    const now = new Date("2026-10-01T10:00:00Z");
    const first = await database.db.transaction((tx) => ob.dispatch(tx, now));
    const second = await database.db.transaction((tx) => ob.dispatch(tx, now));
    expect(first).toEqual({ sent: 1, failed: 0 });
    expect(second).toEqual({ sent: 0, failed: 0 });
    expect(sent.map((m) => m.to)).toEqual(["ok@example.fi"]);
    expect(sent[0]?.subject).toBe("Hei ok@example.fi");
  });

  it("retries a failed send later with back-off", async () => {
    await database.db.delete(outboxTable);
    let fail = true;
    const sent: string[] = [];
    const ob = createOutbox(
      {
        send: async (m) => {
          if (fail) throw new Error("SMTP down");
          sent.push(m.to);
        },
      },
      createMemoryLogger(),
    );
    await ob.enqueue(database.db, note("retry@example.fi"), T0);
    const t0 = new Date("2026-10-01T10:00:00Z");
    expect(await database.db.transaction((tx) => ob.dispatch(tx, t0))).toEqual({ sent: 0, failed: 1 });
    const [row] = await database.db.select().from(outboxTable);
    expect(row?.attempts).toBe(1);
    expect(row?.lastError).toBe("SMTP down");
    expect(row!.availableAt.getTime()).toBeGreaterThan(t0.getTime());
    fail = false;
    expect(await database.db.transaction((tx) => ob.dispatch(tx, t0))).toEqual({ sent: 0, failed: 0 });
    const later = new Date(row!.availableAt.getTime() + 1000);
    expect(await database.db.transaction((tx) => ob.dispatch(tx, later))).toEqual({ sent: 1, failed: 0 });
    expect(sent).toEqual(["retry@example.fi"]);
  });
});
