/**
 * The global data version (migration 0002): statement-level triggers bump it in the
 * same transaction as every change public responses depend on, and a rollback takes
 * the bump back with the data.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categories, eventCategories, events, occurrences, organisations, places } from "../src/db/schema.ts";
import { getDataVersion } from "../src/domain/data-version.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./helpers/tenant.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
});
afterAll(async () => {
  await w.close();
});

/** Runs `change` and returns how much the version moved. */
async function moves(change: () => Promise<unknown>): Promise<number> {
  const before = BigInt(await getDataVersion(w.database.db));
  await change();
  return Number(BigInt(await getDataVersion(w.database.db)) - before);
}

describe("getDataVersion", () => {
  it("moves on insert, update and delete of every table public responses read", async () => {
    const db = w.database.db;
    const { id } = await w.eventIn("published");
    const tables = [
      {
        name: "places",
        insert: () =>
          db
            .insert(places)
            .values({ municipalityId: DEFAULT_MUNICIPALITY_ID, slug: "dv-place", name: { fi: "Paikka" } }),
        update: () => db.update(places).set({ locality: "Nurmijärvi" }).where(sql`slug = 'dv-place'`),
        remove: () => db.delete(places).where(sql`slug = 'dv-place'`),
      },
      {
        name: "organisations",
        insert: () => db.insert(organisations).values({ slug: "dv-org", name: "Org", kind: "other" }),
        update: () => db.update(organisations).set({ name: "Org 2" }).where(sql`slug = 'dv-org'`),
        remove: () => db.delete(organisations).where(sql`slug = 'dv-org'`),
      },
      {
        name: "categories",
        insert: () => db.insert(categories).values({ slug: "dv-cat", name: { fi: "Kategoria" } }),
        update: () => db.update(categories).set({ sortOrder: 5 }).where(sql`slug = 'dv-cat'`),
        remove: () => db.delete(categories).where(sql`slug = 'dv-cat'`),
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
            municipalityId: DEFAULT_MUNICIPALITY_ID,
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
            municipalityId: DEFAULT_MUNICIPALITY_ID,
            title: { fi: "Suoraan kantaan" },
            startsAt: new Date("2027-01-01T10:00:00Z"),
            endsAt: new Date("2027-01-01T11:00:00Z"),
          }),
        update: () => db.update(events).set({ isFree: false }).where(sql`title->>'fi' = 'Suoraan kantaan'`),
        remove: () => db.delete(events).where(sql`title->>'fi' = 'Suoraan kantaan'`),
      },
    ];
    for (const t of tables) {
      expect(await moves(t.insert), `${t.name} insert`).toBeGreaterThan(0);
      expect(await moves(t.update), `${t.name} update`).toBeGreaterThan(0);
      expect(await moves(t.remove), `${t.name} delete`).toBeGreaterThan(0);
    }
  });

  it("moves once per statement, not once per row", async () => {
    const db = w.database.db;
    const n = await moves(() => db.update(events).set({ sequence: sql`sequence + 1` }));
    expect(n).toBe(1);
  });

  it("does not move on statements that do not touch those tables", async () => {
    expect(await moves(() => w.database.db.execute(sql`select count(*) from events`))).toBe(0);
    expect(await moves(() => w.database.db.execute(sql`delete from rate_limits`))).toBe(0);
  });

  it("moves back with a rolled-back transaction, and is invisible to others until commit", async () => {
    const db = w.database.db;
    const before = await getDataVersion(db);
    await expect(
      db.transaction(async (tx) => {
        await tx.update(places).set({ locality: "Rajamäki" });
        // Inside the transaction the new version is visible…
        expect(BigInt(await getDataVersion(tx))).toBeGreaterThan(BigInt(before));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    // …and after the rollback it is the old one again.
    expect(await getDataVersion(db)).toBe(before);
  });

  it("moves on approval, cancellation, unpublishing and soft deletion", async () => {
    const db = w.database.db;
    const pending = await w.eventIn("pending");
    expect(
      await moves(() =>
        w.as("moderator")("POST", `/api/v1/moderation/events/${pending.id}/approve`, {
          version: pending.version,
        }),
      ),
    ).toBeGreaterThan(0);
    const published = await w.eventIn("published");
    expect(
      await moves(() =>
        w.as("member")("POST", `/api/v1/events/${published.id}/cancel`, { version: published.version }),
      ),
    ).toBeGreaterThan(0);
    expect(
      await moves(() => db.update(events).set({ state: "draft" }).where(sql`id = ${pending.id}::uuid`)),
    ).toBeGreaterThan(0);
    expect(
      await moves(() =>
        db.update(events).set({ deletedAt: new Date() }).where(sql`id = ${published.id}::uuid`),
      ),
    ).toBeGreaterThan(0);
  });
});
