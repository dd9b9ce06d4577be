/**
 * The cost of a write under the data-version triggers: the global version of migrations
 * 0002/0003 (one row, bumped by a plain statement-level trigger) against the versions per
 * municipality of migration 0010 (statement-level triggers with transition tables, bumping
 * the municipalities of the changed rows). Both run in one migrated database, with the old
 * triggers put back for their rounds, so only the triggers differ. Each update is one
 * single-event statement in its own transaction (autocommit), as an edit is.
 *
 * Run with `npx tsx bench/data-version-triggers.ts` (PGlite), and with DATABASE_URL=postgres://…
 * for PostgreSQL (a scratch database is created next to it and dropped afterwards; commits
 * there do not wait for the disk, see run()).
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Database } from "../src/db/client.ts";
import { openPostgres } from "../src/db/postgres.ts";
import { migratePgliteDatabase, migratePostgresUrl } from "../src/runtime/node/migrate.ts";
import { openPglite } from "../src/runtime/node/pglite.ts";

const UPDATES = Number(process.env.UPDATES ?? 3000);
// The variants take turns in short rounds, so that drift (other load, table bloat) hits each alike.
const ROUNDS = 10;
const PER_ROUND = Math.ceil(UPDATES / ROUNDS);
const TABLES = ["events", "occurrences", "event_categories", "places", "organisations", "categories"];
const NEW_TRIGGERS = TABLES.flatMap((t) =>
  ["ins", "upd", "del", "trunc"].map((e) => `${t}_data_version_${e}`),
);

/** Migration 0002/0003's global version, as it was. */
const OLD_SETUP = [
  `create table data_version (id boolean primary key default true, version bigint not null default 1,
     changed_at timestamptz not null default now(), check (id))`,
  "insert into data_version (id, version) values (true, 1)",
  `create function bump_data_version() returns trigger language plpgsql as $$
   declare v bigint;
   begin
     update data_version set version = version + 1, changed_at = now() where id returning version into v;
     perform pg_notify('kk_data_version', v::text);
     return null;
   end; $$`,
];

async function exec(database: Database, text: string) {
  await database.db.execute(sql.raw(text));
}

async function setTriggers(database: Database, which: "old" | "new" | "none") {
  for (const t of TABLES) await exec(database, `drop trigger if exists ${t}_data_version on ${t}`);
  for (const name of NEW_TRIGGERS) {
    const table = TABLES.find((t) => name.startsWith(`${t}_data_version`));
    await exec(database, `alter table ${table} disable trigger ${name}`);
  }
  if (which === "old") {
    for (const t of TABLES) {
      await exec(
        database,
        `create trigger ${t}_data_version after insert or update or delete or truncate on ${t}
         for each statement execute function bump_data_version()`,
      );
    }
  } else if (which === "new") {
    for (const name of NEW_TRIGGERS) {
      const table = TABLES.find((t) => name.startsWith(`${t}_data_version`));
      await exec(database, `alter table ${table} enable trigger ${name}`);
    }
  }
}

async function measure(database: Database, ids: string[], n = PER_ROUND): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    await database.db.execute(
      sql`update events set sequence = sequence + 1 where id = ${ids[i % ids.length]}::uuid`,
    );
  }
  return ((performance.now() - started) * 1000) / n;
}

/**
 * The triggers' own time per update, as EXPLAIN ANALYZE reports it (server-side, so less
 * sensitive to a busy machine than the round trip).
 */
async function triggerTime(database: Database, ids: string[], n = 500): Promise<number> {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const res = (await database.db.execute(
      sql`explain (analyze, format json) update events set sequence = sequence + 1 where id = ${ids[i % ids.length]}::uuid`,
    )) as unknown as Record<string, unknown>[] | { rows: Record<string, unknown>[] };
    const row = (Array.isArray(res) ? res : res.rows)[0] as Record<string, unknown>;
    const raw = Object.values(row)[0];
    const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Triggers?: { Time: number }[] }[];
    for (const t of plan[0]?.Triggers ?? []) total += t.Time;
  }
  return (total * 1000) / n;
}

async function run(database: Database, label: string) {
  // Without waiting for the WAL flush of each commit (one connection: the setting holds for
  // the session), which would otherwise drown what the triggers cost in disk latency.
  if (database.driver === "postgres") await exec(database, "set synchronous_commit = off");
  for (const s of OLD_SETUP) await exec(database, s);
  // Three municipalities, 500 events each.
  await exec(
    database,
    `insert into municipalities (slug, name) values ('bench-b', '{"fi":"B"}'), ('bench-c', '{"fi":"C"}')`,
  );
  await exec(
    database,
    `insert into events (municipality_id, title, starts_at, ends_at)
     select m.id, jsonb_build_object('fi', 'Tapahtuma ' || g), now(), now() + interval '1 hour'
     from municipalities m cross join generate_series(1, 500) g`,
  );
  const rows = (await database.db.execute(sql`select id::text as id from events order by id`)) as unknown as
    | { id: string }[]
    | { rows: { id: string }[] };
  const ids = (Array.isArray(rows) ? rows : rows.rows).map((r) => r.id);
  const results: Record<string, number[]> = { none: [], old: [], new: [] };
  for (const which of ["none", "old", "new"] as const) {
    await setTriggers(database, which);
    await measure(database, ids, 200); // warm-up
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const which of ["none", "old", "new"] as const) {
      await setTriggers(database, which);
      results[which]!.push(await measure(database, ids));
    }
  }
  const inServer: Record<string, number> = {};
  for (const which of ["old", "new"] as const) {
    await setTriggers(database, which);
    inServer[which] = await triggerTime(database, ids);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const fmt = (us: number) => `${(us / 1000).toFixed(3)} ms`;
  const none = median(results.none!);
  const old = median(results.old!);
  const now = median(results.new!);
  console.log(
    `${label}: ${ROUNDS * PER_ROUND} single-event updates per variant (median of ${ROUNDS} rounds), per update:\n` +
      `  no version trigger      ${fmt(none)}\n` +
      `  global version (0002)   ${fmt(old)}  (+${fmt(old - none)})\n` +
      `  per municipality (0010) ${fmt(now)}  (+${fmt(now - none)})\n` +
      `  triggers' own time per update (EXPLAIN ANALYZE, 500 updates): global ${fmt(inServer.old!)}, ` +
      `per municipality ${fmt(inServer.new!)}`,
  );
}

const url = process.env.DATABASE_URL;
if (url) {
  const name = `kk_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  try {
    await migratePostgresUrl(u.toString());
    const database = openPostgres(u.toString(), { max: 1 });
    try {
      await run(database, "PostgreSQL");
    } finally {
      await database.close();
    }
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  }
} else {
  const database = await openPglite();
  await migratePgliteDatabase(database);
  try {
    await run(database, "PGlite");
  } finally {
    await database.close();
  }
}
