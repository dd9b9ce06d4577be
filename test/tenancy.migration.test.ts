/**
 * Migration 0008 (municipalities, ADR 0006) upgrades an existing single-municipality
 * installation without loss: a database made by the migrations up to 0007, with data in
 * every table that gets a tenant, is migrated to 0008; every row is still there and belongs
 * to the default municipality. On PGlite, or on PostgreSQL with TEST_DATABASE_URL.
 */
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Queryable, queryRows } from "../src/db/client.ts";
import { DEFAULT_MUNICIPALITY_ID } from "../src/db/schema.ts";
import { MIGRATIONS_FOLDER } from "../src/runtime/node/migrate.ts";
import { openPglite } from "../src/runtime/node/pglite.ts";
import { onPostgres } from "./helpers/db.ts";

const TABLES = [
  "places",
  "categories",
  "organisations",
  "users",
  "events",
  "event_categories",
  "occurrences",
  "revisions",
  "moderation_log",
] as const;
const TENANT_OWNED = ["places", "events", "occurrences", "revisions", "moderation_log"] as const;

/** Runs SQL on the database under test, whichever it is. */
type Exec = (statement: ReturnType<typeof sql>) => Promise<Record<string, unknown>[]>;

let dir: string;
let exec: Exec;
let migrateTo: (folder: string) => Promise<void>;
let close: () => Promise<void>;

beforeAll(async () => {
  // The migrations up to 0007 in a copy of the folder.
  dir = await mkdtemp(join(tmpdir(), "kk-mig8-"));
  await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalFile = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalFile, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.startsWith("0008_"));
  expect(at).toBe(8);
  journal.entries = journal.entries.slice(0, at);
  await writeFile(journalFile, JSON.stringify(journal));

  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `kk_mig8_${randomBytes(4).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const client = postgres(u.toString(), { max: 1, onnotice: () => {} });
    const db = drizzlePostgres(client);
    exec = (s) => queryRows(db as unknown as Queryable, s);
    migrateTo = (folder) => migratePostgres(db, { migrationsFolder: folder });
    close = async () => {
      await client.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    };
  } else {
    const database = await openPglite();
    exec = (s) => queryRows(database.db, s);
    // The pglite migrator wants its own driver type.
    const db = database.db as unknown as Parameters<typeof migratePglite>[0];
    migrateTo = (folder) => migratePglite(db, { migrationsFolder: folder });
    close = () => database.close();
  }
}, 120_000);

afterAll(async () => {
  await close?.();
  await rm(dir, { recursive: true, force: true });
});

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await exec(sql`select count(*)::int as n from ${sql.identifier(table)}`);
    out[table] = Number(row?.n);
  }
  return out;
}

describe(`migration 0008 on a 0007 database with data (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("keeps every row and gives each to the default municipality", async () => {
    await migrateTo(dir);
    // One installation's worth of data, written under the 0007 schema.
    await exec(sql`insert into places (id, slug, name, village, approved_at) values
      ('10000000-0000-4000-8000-000000000001', 'seurantalo', '{"fi":"Seurantalo"}', 'klaukkala', now()),
      ('10000000-0000-4000-8000-000000000002', 'kirjasto', '{"fi":"Kirjasto"}', null, null)`);
    await exec(sql`insert into categories (id, slug, name) values
      ('20000000-0000-4000-8000-000000000001', 'musiikki', '{"fi":"Musiikki"}')`);
    await exec(sql`insert into organisations (id, slug, name, kind) values
      ('30000000-0000-4000-8000-000000000001', 'yhdistys', 'Yhdistys', 'association')`);
    await exec(sql`insert into users (id, email, display_name, role) values
      ('40000000-0000-4000-8000-000000000001', 'mod@example.org', 'Moderaattori', 'moderator')`);
    await exec(sql`insert into events (id, organisation_id, place_id, state, title, starts_at, ends_at, published_at, rrule) values
      ('50000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
       'published', '{"fi":"Konsertti"}', '2026-10-01T15:00:00Z', '2026-10-01T17:00:00Z', now(), 'FREQ=WEEKLY;COUNT=2'),
      ('50000000-0000-4000-8000-000000000002', null, '10000000-0000-4000-8000-000000000002',
       'pending', '{"fi":"Odottaa"}', '2026-10-02T15:00:00Z', '2026-10-02T17:00:00Z', null, null)`);
    await exec(sql`insert into event_categories (event_id, category_id) values
      ('50000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001')`);
    await exec(sql`insert into occurrences (event_id, starts_at, ends_at) values
      ('50000000-0000-4000-8000-000000000001', '2026-10-01T15:00:00Z', '2026-10-01T17:00:00Z'),
      ('50000000-0000-4000-8000-000000000001', '2026-10-08T15:00:00Z', '2026-10-08T17:00:00Z'),
      ('50000000-0000-4000-8000-000000000002', '2026-10-02T15:00:00Z', '2026-10-02T17:00:00Z')`);
    await exec(sql`insert into revisions (event_id, base_version, proposed, created_by) values
      ('50000000-0000-4000-8000-000000000001', 1, '{"title":{"fi":"Uusi"}}', '40000000-0000-4000-8000-000000000001')`);
    await exec(sql`insert into moderation_log (event_id, actor_id, actor_kind, action) values
      ('50000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', 'user', 'approve'),
      (null, '40000000-0000-4000-8000-000000000001', 'user', 'trust')`);
    const before = await counts();
    expect(Object.values(before).every((n) => n > 0)).toBe(true);

    await migrateTo(MIGRATIONS_FOLDER);

    expect(await counts()).toEqual(before);
    const [municipality] = await exec(sql`select id, slug from municipalities`);
    expect(municipality).toEqual({ id: DEFAULT_MUNICIPALITY_ID, slug: "default" });
    for (const table of TENANT_OWNED) {
      const rows = await exec(
        sql`select municipality_id::text as m, count(*)::int as n from ${sql.identifier(table)} group by 1`,
      );
      expect(rows, table).toEqual([{ m: DEFAULT_MUNICIPALITY_ID, n: before[table] }]);
      const [column] = await exec(
        sql`select is_nullable from information_schema.columns where table_name = ${table} and column_name = 'municipality_id'`,
      );
      expect(column?.is_nullable, table).toBe("NO");
    }
    // The region's shared category list: existing categories are shared.
    const [category] = await exec(sql`select municipality_id from categories`);
    expect(category?.municipality_id).toBeNull();
  });
});
