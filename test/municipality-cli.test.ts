/**
 * `npm run municipality`: the documented way to turn a single-municipality installation
 * (after `npm run migrate` its data belongs to the municipality `default`) into a named
 * municipality of a region, and to add more. The script is spawned against a PGlite data
 * directory (or, with TEST_DATABASE_URL, a PostgreSQL database) holding the demo data: every
 * row is kept, the slug, names and hosts change, a second municipality and an admin are added.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, queryRows } from "../src/db/client.ts";
import { DEFAULT_MUNICIPALITY_ID } from "../src/db/schema.ts";
import { migrateDatabase } from "../src/runtime/node/migrate.ts";
import { openPglite } from "../src/runtime/node/pglite.ts";
import { seedDatabase } from "../src/seed/load.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./helpers/db.ts";
import { SEED_NOW, SEED_TODAY } from "./helpers/seeded.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCRIPT = join(ROOT, "src/scripts/municipality.ts");
const run = promisify(execFile);

let dir: string | undefined;
let pg: TestDatabase | undefined;
let env: Record<string, string>;

/** Runs the CLI; resolves with its output and exit code (never throws on a non-zero exit). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", SCRIPT, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, NODE_ENV: "test", LOG_LEVEL: "warn" },
      encoding: "utf8",
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Opens the database in this process for a look (PGlite: only while no child has it open). */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (pg) return fn(pg.db);
  const database = await openPglite(dir);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

/** Row counts of every table of the schema. */
async function counts(db: Db): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from "${name}"`));
    out[name] = Number(row?.n);
  }
  return out;
}

let before: Record<string, number>;

beforeAll(async () => {
  const seed = async (db: Db) =>
    seedDatabase(db, { today: SEED_TODAY, now: SEED_NOW, demoPassword: "test-password", events: 30 });
  if (onPostgres) {
    pg = await createTestDatabase();
    await seed(pg.db);
    env = { DATABASE_URL: pg.url as string };
  } else {
    dir = mkdtempSync(join(tmpdir(), "kk-municipality-cli-"));
    const database = await openPglite(dir);
    await migrateDatabase(database);
    await seed(database.db);
    await database.close();
    env = { DATA_DIR: dir };
  }
  before = await withDb(counts);
}, 180_000);

afterAll(async () => {
  await pg?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each run starts a process that opens the database (PGlite: several seconds on a busy machine).
describe(`npm run municipality (${onPostgres ? "PostgreSQL" : "PGlite"})`, { timeout: 300_000 }, () => {
  it("lists the installation's one municipality, `default`, with its data", async () => {
    const r = await cli("list");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^default\t/);
    expect(r.stdout).toContain(`${before.events} events`);
  });

  it("renames `default` into a named municipality with a host, keeping every row", async () => {
    const r = await cli(
      "update",
      "default",
      "--slug",
      "nurmijarvi",
      "--name-fi",
      "Nurmijärvi",
      "--name-sv",
      "Nurmijärvi",
      "--languages",
      "fi,sv",
      "--add-host",
      "Kalenteri.Nurmijarvi.test",
      "--public-url",
      "https://kalenteri.nurmijarvi.test",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("updated nurmijarvi\tNurmijärvi");
    const after = await withDb(async (db) => {
      const [m] = await queryRows<{ id: string; slug: string; name: { fi: string }; public_url: string }>(
        db,
        sql`select id, slug, name, public_url from municipalities`,
      );
      const hosts = await queryRows<{ host: string }>(db, sql`select host from municipality_hosts`);
      const moved = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from events where municipality_id <> ${DEFAULT_MUNICIPALITY_ID}::uuid`,
      );
      return { m, hosts: hosts.map((h) => h.host), moved: Number(moved[0]?.n), counts: await counts(db) };
    });
    expect(after.m).toMatchObject({
      id: DEFAULT_MUNICIPALITY_ID,
      slug: "nurmijarvi",
      name: { fi: "Nurmijärvi" },
      public_url: "https://kalenteri.nurmijarvi.test",
    });
    expect(after.hosts).toEqual(["kalenteri.nurmijarvi.test"]);
    expect(after.moved).toBe(0);
    expect(after.counts).toEqual({ ...before, municipality_hosts: before.municipality_hosts! + 1 });
  });

  it("creates a second municipality, refuses a reserved slug and a taken host, grants an admin", async () => {
    const created = await cli(
      "create",
      "--slug",
      "hyvinkaa",
      "--name-fi",
      "Hyvinkää",
      "--host",
      "kalenteri.hyvinkaa.test",
      "--admin-email",
      "paakayttaja@hyvinkaa.test",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("invited paakayttaja@hyvinkaa.test");
    const reserved = await cli("create", "--slug", "api", "--name-fi", "X");
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toContain("--slug: is reserved");
    const clash = await cli("update", "hyvinkaa", "--add-host", "kalenteri.nurmijarvi.test");
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("kalenteri.nurmijarvi.test already serves another municipality");
    const granted = await cli("grant-admin", "nurmijarvi", "moderaattori@example.fi");
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toContain("moderaattori@example.fi is now admin of nurmijarvi");
    const list = await cli("list");
    expect(
      list.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t")[0]),
    ).toEqual(["hyvinkaa", "nurmijarvi"]);
    const after = await withDb(counts);
    expect(after).toMatchObject({
      events: before.events,
      places: before.places,
      occurrences: before.occurrences,
      users: before.users,
      municipalities: 2,
      municipality_staff: before.municipality_staff! + 1,
      staff_invitations: before.staff_invitations! + 1,
    });
  });
});
