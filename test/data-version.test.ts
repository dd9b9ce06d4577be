/**
 * The data versions per municipality (migration 0010): statement-level triggers bump the
 * version of each municipality whose rows a statement changed, in the same transaction; a
 * change to regional data (organisations, shared categories) bumps every municipality; a
 * rollback takes the bump back with the data; every new version is notified as
 * "<municipality id>:<version>".
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  categories,
  eventCategories,
  events,
  municipalities,
  occurrences,
  organisations,
  places,
} from "../src/db/schema.ts";
import { createDataVersionTracker, getDataVersion, parseStamp } from "../src/domain/data-version.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./helpers/tenant.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

const A = DEFAULT_MUNICIPALITY_ID;
let B: string;
let C: string;
let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
  const rows = await w.database.db
    .insert(municipalities)
    .values([
      { slug: "dv-b", name: { fi: "B" } },
      { slug: "dv-c", name: { fi: "C" } },
    ])
    .returning();
  B = rows[0]!.id;
  C = rows[1]!.id;
});
afterAll(async () => {
  await w.close();
});

/** The versions of A, B and C. */
async function versions(db: Parameters<typeof getDataVersion>[0] = w.database.db) {
  const stamp = parseStamp(await getDataVersion(db, [A, B, C]));
  if (!stamp) throw new Error("not a stamp");
  return { A: stamp.get(A)!, B: stamp.get(B)!, C: stamp.get(C)! };
}

/** Runs `change` and returns how much each municipality's version moved. */
async function moves(change: () => Promise<unknown>): Promise<{ A: number; B: number; C: number }> {
  const before = await versions();
  await change();
  const after = await versions();
  return { A: Number(after.A - before.A), B: Number(after.B - before.B), C: Number(after.C - before.C) };
}

const ONLY_A = { A: 1, B: 0, C: 0 };
const ALL = { A: 1, B: 1, C: 1 };
const NONE = { A: 0, B: 0, C: 0 };

describe("data versions per municipality", () => {
  it("gives every municipality a version, a new one too", async () => {
    const v = await versions();
    expect(v.A).toBeGreaterThan(0n);
    expect(v.B).toBe(1n);
    expect(v.C).toBe(1n);
  });

  it("an edit in A (insert, update, delete of each table a response reads) moves A's version only", async () => {
    const db = w.database.db;
    const { id } = await w.eventIn("published");
    const tables = [
      {
        name: "places",
        insert: () =>
          db.insert(places).values({ municipalityId: A, slug: "dv-place", name: { fi: "Paikka" } }),
        update: () => db.update(places).set({ locality: "Nurmijärvi" }).where(sql`slug = 'dv-place'`),
        remove: () => db.delete(places).where(sql`slug = 'dv-place'`),
      },
      {
        name: "local categories",
        insert: () =>
          db.insert(categories).values({ municipalityId: A, slug: "dv-local", name: { fi: "Paikallinen" } }),
        update: () => db.update(categories).set({ sortOrder: 5 }).where(sql`slug = 'dv-local'`),
        remove: () => db.delete(categories).where(sql`slug = 'dv-local'`),
      },
      {
        name: "event_categories",
        insert: () =>
          db.execute(
            sql`insert into event_categories (event_id, category_id) select ${id}::uuid, id from categories where slug = 'liikunta'`,
          ),
        update: () =>
          db
            .update(eventCategories)
            .set({ categoryId: sql`category_id` })
            .where(
              sql`event_id = ${id}::uuid and category_id = (select id from categories where slug = 'liikunta')`,
            ),
        remove: () => db.delete(eventCategories).where(sql`event_id = ${id}::uuid`),
      },
      {
        name: "occurrences",
        insert: () =>
          db.insert(occurrences).values({
            municipalityId: A,
            eventId: id,
            startsAt: new Date("2027-01-01T10:00:00Z"),
            endsAt: new Date("2027-01-01T11:00:00Z"),
          }),
        update: () =>
          db
            .update(occurrences)
            .set({ endsAt: new Date("2027-01-01T12:00:00Z") })
            .where(sql`starts_at = '2027-01-01T10:00:00Z'`),
        remove: () => db.delete(occurrences).where(sql`starts_at = '2027-01-01T10:00:00Z'`),
      },
      {
        name: "events",
        insert: () =>
          db.insert(events).values({
            municipalityId: A,
            title: { fi: "Suoraan kantaan" },
            startsAt: new Date("2027-01-01T10:00:00Z"),
            endsAt: new Date("2027-01-01T11:00:00Z"),
          }),
        update: () => db.update(events).set({ isFree: false }).where(sql`title->>'fi' = 'Suoraan kantaan'`),
        remove: () => db.delete(events).where(sql`title->>'fi' = 'Suoraan kantaan'`),
      },
    ];
    for (const t of tables) {
      expect(await moves(t.insert), `${t.name} insert`).toEqual(ONLY_A);
      expect(await moves(t.update), `${t.name} update`).toEqual(ONLY_A);
      expect(await moves(t.remove), `${t.name} delete`).toEqual(ONLY_A);
    }
  });

  it("an edit in B moves B's version only", async () => {
    const db = w.database.db;
    expect(
      await moves(() =>
        db.insert(places).values({ municipalityId: B, slug: "dv-b-place", name: { fi: "B" } }),
      ),
    ).toEqual({ A: 0, B: 1, C: 0 });
    expect(
      await moves(() =>
        db.insert(events).values({
          municipalityId: B,
          title: { fi: "Beeläinen" },
          startsAt: new Date("2027-01-01T10:00:00Z"),
          endsAt: new Date("2027-01-01T11:00:00Z"),
        }),
      ),
    ).toEqual({ A: 0, B: 1, C: 0 });
    // A statement over two municipalities moves both, once each.
    expect(
      await moves(() =>
        db.update(events).set({ sequence: sql`sequence + 1` }).where(sql`municipality_id <> ${C}`),
      ),
    ).toEqual({ A: 1, B: 1, C: 0 });
  });

  it("a change to regional data (organisations, shared categories) moves every municipality's version", async () => {
    const db = w.database.db;
    expect(
      await moves(() => db.insert(organisations).values({ slug: "dv-org", name: "Org", kind: "other" })),
    ).toEqual(ALL);
    expect(
      await moves(() => db.update(organisations).set({ name: "Org 2" }).where(sql`slug = 'dv-org'`)),
    ).toEqual(ALL);
    expect(await moves(() => db.delete(organisations).where(sql`slug = 'dv-org'`))).toEqual(ALL);
    expect(
      await moves(() => db.insert(categories).values({ slug: "dv-cat", name: { fi: "Jaettu" } })),
    ).toEqual(ALL);
    expect(
      await moves(() => db.update(categories).set({ sortOrder: 5 }).where(sql`slug = 'dv-cat'`)),
    ).toEqual(ALL);
    expect(await moves(() => db.delete(categories).where(sql`slug = 'dv-cat'`))).toEqual(ALL);
  });

  it("moves once per statement, not once per row, and not for a statement that changed no row", async () => {
    const db = w.database.db;
    expect(
      await moves(() =>
        db.update(events).set({ sequence: sql`sequence + 1` }).where(sql`municipality_id = ${A}`),
      ),
    ).toEqual(ONLY_A);
    expect(await moves(() => db.update(events).set({ sequence: 1 }).where(sql`false`))).toEqual(NONE);
    expect(await moves(() => db.update(organisations).set({ name: "x" }).where(sql`false`))).toEqual(NONE);
  });

  it("does not move on statements that do not touch those tables", async () => {
    expect(await moves(() => w.database.db.execute(sql`select count(*) from events`))).toEqual(NONE);
    expect(await moves(() => w.database.db.execute(sql`delete from rate_limits`))).toEqual(NONE);
  });

  it("moves back with a rolled-back transaction, and is invisible to others until commit", async () => {
    const db = w.database.db;
    const before = await versions();
    await expect(
      db.transaction(async (tx) => {
        await tx.update(places).set({ locality: "Rajamäki" }).where(sql`municipality_id = ${A}`);
        await tx.update(organisations).set({ website: null });
        // Inside the transaction the new versions are visible…
        const inside = await versions(tx);
        expect(inside.A).toBe(before.A + 2n);
        expect(inside.B).toBe(before.B + 1n);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    // …and after the rollback they are the old ones again.
    expect(await versions()).toEqual(before);
  });

  it("moves on approval, cancellation, unpublishing and soft deletion, in the event's municipality only", async () => {
    const db = w.database.db;
    const pending = await w.eventIn("pending");
    expect(
      await moves(() =>
        w.as("moderator")("POST", `/api/v1/moderation/events/${pending.id}/approve`, {
          version: pending.version,
        }),
      ),
    ).toEqual({ A: expect.any(Number), B: 0, C: 0 });
    const published = await w.eventIn("published");
    const cancelled = await moves(() =>
      w.as("member")("POST", `/api/v1/events/${published.id}/cancel`, { version: published.version }),
    );
    expect(cancelled.A).toBeGreaterThan(0);
    expect(cancelled).toMatchObject({ B: 0, C: 0 });
    // A change of public state also rewrites the event's occurrences (their `public` flag,
    // migration 0013), which bumps the same municipality once more: A moves, B and C never.
    const unpublished = await moves(() =>
      db.update(events).set({ state: "draft" }).where(sql`id = ${pending.id}::uuid`),
    );
    expect(unpublished.A).toBeGreaterThan(0);
    expect(unpublished).toMatchObject({ B: 0, C: 0 });
    const deleted = await moves(() =>
      db.update(events).set({ deletedAt: new Date() }).where(sql`id = ${published.id}::uuid`),
    );
    expect(deleted.A).toBeGreaterThan(0);
    expect(deleted).toMatchObject({ B: 0, C: 0 });
  });

  it("notifies each new version as '<municipality>:<version>' once committed, never on a rollback", async () => {
    const tracker = createDataVersionTracker();
    const listener = w.database.listenDataVersion?.(tracker);
    if (!listener) throw new Error("the database has no listener");
    await listener.ready;
    try {
      const before = await versions();
      // One read while listening makes the values trusted; from then on only notifications move them.
      await tracker.get(w.database.db, [A]);
      const stampOf = () => parseStamp(tracker.peek([A, B, C]) ?? "");
      expect(stampOf()).toEqual(
        new Map([
          [A, before.A],
          [B, before.B],
          [C, before.C],
        ]),
      );
      await expect(
        w.database.db.transaction(async (tx) => {
          await tx.update(places).set({ locality: "Klaukkala" }).where(sql`municipality_id = ${B}`);
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      await w.database.db.update(places).set({ locality: "Klaukkala" }).where(sql`municipality_id = ${A}`);
      const end = Date.now() + 5_000;
      while (stampOf()?.get(A) !== before.A + 1n) {
        if (Date.now() > end) throw new Error("no notification");
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(stampOf()?.get(B)).toBe(before.B);
      expect(stampOf()?.get(C)).toBe(before.C);
    } finally {
      await listener.close();
    }
  });
});
