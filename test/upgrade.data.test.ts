/**
 * The previous release's database, with data in every table, upgrades to this release's
 * schema keeping every row (#22). Generic: "previous release" is all migrations but the last,
 * so each new migration is tested on arrival. The data: the demo seed plus one made-up row in
 * every table the seed leaves empty, written at the latest schema and copied into the older
 * one (the columns it has). After the upgrade every row is still there, unchanged in every
 * column the old schema had. On PGlite, or on PostgreSQL with TEST_DATABASE_URL.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import { MIGRATIONS_FOLDER, migrationStatus, readKnownMigrations } from "../src/runtime/node/migrate.ts";
import { seedDatabase } from "../src/seed/load.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./helpers/db.ts";
import { migrationsFolder, type ScratchDatabase, scratchDatabase } from "./helpers/migrations.ts";
import {
  copyCommonData,
  fillEmptyTables,
  publicTables,
  tableRows,
  writableColumns,
} from "./helpers/table-data.ts";

const KNOWN = readKnownMigrations();
let latest: TestDatabase | undefined;
let previous: ScratchDatabase | undefined;
let removeFolder: (() => Promise<void>) | undefined;
afterAll(async () => {
  await latest?.close();
  await previous?.drop();
  await removeFolder?.();
});

describe(`upgrade from the previous release with data (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it(`${KNOWN.at(-2)?.tag} → ${KNOWN.at(-1)?.tag}: every row of every table kept`, async () => {
    latest = await createTestDatabase();
    const now = new Date("2026-11-02T10:00:00Z");
    await seedDatabase(latest.db, { today: "2026-11-02", events: 24, demoPassword: "demo-password-1", now });
    // A second municipality: a region (neighbours, staff of another municipality).
    await queryRows(
      latest.db,
      sql`insert into municipalities (slug, name) values ('naapuri', '{"fi":"Naapuri"}')`,
    );
    await fillEmptyTables(latest.db);

    previous = await scratchDatabase();
    const old = await migrationsFolder({ count: KNOWN.length - 1 });
    removeFolder = old.remove;
    await previous.migrate(old.folder);
    await copyCommonData(latest.db, previous.database.db);
    await fillEmptyTables(previous.database.db);

    const tables = await publicTables(previous.database.db);
    const before: Record<string, string[]> = {};
    const columns: Record<string, string[]> = {};
    for (const t of tables) {
      columns[t] = await writableColumns(previous.database.db, t);
      before[t] = await tableRows(previous.database.db, t, columns[t]);
    }
    // A migration that rewrites rows (0013 fills occurrences.public) moves the data versions
    // on, as any change does, so no cached answer outlives an upgrade: forward only.
    const stamps = "municipality_data_versions";
    columns[stamps] = (columns[stamps] ?? []).filter((c) => c !== "version" && c !== "changed_at");
    before[stamps] = await tableRows(previous.database.db, stamps, columns[stamps]);
    const versions = () =>
      queryRows<{ id: string; v: string }>(
        previous!.database.db,
        sql`select municipality_id::text as id, version::text as v from municipality_data_versions order by 1`,
      );
    const versionsBefore = await versions();
    expect(
      tables.filter((t) => before[t]?.length === 0),
      "tables with no data",
    ).toEqual([]);
    expect((await migrationStatus(previous.database.db)).pending.map((m) => m.tag)).toEqual([
      KNOWN.at(-1)?.tag,
    ]);

    await previous.migrate(MIGRATIONS_FOLDER);

    expect((await migrationStatus(previous.database.db)).pending).toEqual([]);
    for (const t of tables) {
      expect(await tableRows(previous.database.db, t, columns[t]), t).toEqual(before[t]);
    }
    const versionsAfter = await versions();
    expect(versionsAfter.map((r) => r.id)).toEqual(versionsBefore.map((r) => r.id));
    for (const [i, r] of versionsAfter.entries()) {
      expect(BigInt(r.v) >= BigInt(versionsBefore[i]?.v ?? "0"), r.id).toBe(true);
    }
    const rows = Object.values(before).reduce((n, r) => n + r.length, 0);
    console.info(`upgrade drill: ${tables.length} tables, ${rows} rows kept`);
  }, 240_000);
});
