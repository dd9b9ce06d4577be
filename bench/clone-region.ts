/**
 * `tsx bench/clone-region.ts --municipalities N`: fills a seeded database up to a region of N
 * municipalities (for `npm run bench -- --municipalities 1,20`): the new ones each get a copy of
 * the default municipality's places,
 * events, their categories and occurrences, with new ids (derived from the old id and the
 * copy's number, so a copy is reproducible) and `-NN` slugs. Organisations, accounts and the
 * shared categories are regional and stay shared. The default municipality stays what `/` serves.
 *
 * Uses the same connection settings as the server (DATABASE_URL, or DATA_DIR for PGlite).
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { loadConfig } from "../src/config.ts";
import { type Queryable, queryRows } from "../src/db/client.ts";
import { DEFAULT_MUNICIPALITY_ID } from "../src/db/schema.ts";
import { bulkLoadSearchIndexes } from "../src/domain/events/search.ts";
import { openDatabase } from "../src/runtime/node/database.ts";

const { values } = parseArgs({ options: { municipalities: { type: "string", default: "20" } } });
const total = Number(values.municipalities);
if (!Number.isInteger(total) || total < 1 || total > 99) throw new Error("--municipalities must be 1…99");

/** Columns that are copied with a new value instead of as they are. */
const REMAP_UUID = new Set(["id", "event_id", "place_id"]);

const config = loadConfig(process.env);
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const db = database.db;

async function columns(target: Queryable, table: string): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    target,
    sql`select column_name as name from information_schema.columns
        where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER'
        order by ordinal_position`,
  );
  return rows.map((r) => r.name);
}

/** Inserts a copy of `from`'s rows (aliased `t`) into `table` for municipality `municipalityId`. */
async function copyRows(
  target: Queryable,
  table: string,
  copyNo: string,
  municipalityId: string,
  from: string,
): Promise<void> {
  // Through `target`: PGlite has one connection, held by the open transaction.
  const cols = await columns(target, table);
  const exprs = cols.map((c) => {
    if (c === "municipality_id") return `'${municipalityId}'::uuid`;
    if (REMAP_UUID.has(c))
      return `case when t.${c} is null then null else md5(t.${c}::text || '-${copyNo}')::uuid end`;
    if (c === "slug") return `t.slug || '-${copyNo}'`;
    return `t.${c}`;
  });
  const list = cols.map((c) => `"${c}"`).join(", ");
  await target.execute(sql.raw(`insert into ${table} (${list}) select ${exprs.join(", ")} from ${from}`));
}

const t0 = performance.now();
try {
  const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from municipalities`,
  );
  // The seed is the demo region (the default municipality with the bulk of the events, and two
  // small neighbours): copies of the default one fill the region up to `total`.
  const [home0] = await queryRows<{ id: string }>(
    db,
    sql`select id from municipalities where id = ${DEFAULT_MUNICIPALITY_ID}::uuid`,
  );
  if (!home0) throw new Error("the default municipality is missing: seed first");
  const home = `'${DEFAULT_MUNICIPALITY_ID}'::uuid`;
  for (let i = n + 1; i <= total; i++) {
    const copyNo = String(i).padStart(2, "0");
    await db.transaction(async (tx) => {
      const [m] = await queryRows<{ id: string }>(
        tx,
        sql`insert into municipalities (slug, name) values (${`kunta-${copyNo}`}, ${JSON.stringify({ fi: `Kunta ${copyNo}` })}::jsonb) returning id`,
      );
      const id = m!.id;
      const run = (table: string, from: string) => copyRows(tx, table, copyNo, id, from);
      await run("places", `places t where t.municipality_id = ${home}`);
      // The new municipality's search index (created with it) fills in one pass.
      await bulkLoadSearchIndexes(tx, () => run("events", `events t where t.municipality_id = ${home}`));
      await run(
        "event_categories",
        `event_categories t join events e on e.id = t.event_id where e.municipality_id = ${home}`,
      );
      await run("occurrences", `occurrences t where t.municipality_id = ${home}`);
    });
    process.stderr.write(
      `  municipality ${copyNo}/${total} copied (${Math.round(performance.now() - t0)} ms)\n`,
    );
  }
  await db.execute(sql`analyze`);
} finally {
  await database.close();
}
