/**
 * PGlite has no autovacuum (single-user mode): the server's maintenance round
 * (src/runtime/node/pglite-maintenance.ts) vacuums and analyzes the tables past PostgreSQL's
 * default thresholds, and leaves the others alone.
 */
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maintainAfterMigrations, maintainPglite } from "../src/runtime/node/pglite-maintenance.ts";

let pg: PGlite;
beforeAll(async () => {
  pg = new PGlite();
  await pg.exec(`
    create table churn (id int primary key, v int);
    insert into churn select g, g from generate_series(1, 1000) g;
    create table quiet (id int primary key, v int);
    insert into quiet select g, g from generate_series(1, 10) g;
    create table big (id int primary key, v int);
    insert into big select g, g from generate_series(1, 10000) g;`);
  // A first round takes every new table through its first vacuum (inserts past 1,000 + 20 %)
  // or analyze; what follows starts from there.
  await maintainPglite(pg);
}, 60_000);
afterAll(async () => {
  await pg.close();
});

const stats = async (table: string) =>
  (
    await pg.query<{ dead: number; vacuums: number; analyzes: number }>(
      `select n_dead_tup::int as dead, vacuum_count::int as vacuums, analyze_count::int as analyzes
       from pg_stat_user_tables where relname = $1`,
      [table],
    )
  ).rows[0];

describe("PGlite maintenance", () => {
  it("vacuums a table whose dead rows pass 50 + 20 % of its live ones, and only that", async () => {
    await pg.exec("update churn set v = v + 1 where id <= 300; delete from churn where id > 900;");
    await pg.exec("update quiet set v = v + 1 where id = 1;");
    const before = await stats("churn");
    const round = await maintainPglite(pg);
    expect(round.vacuumed).toEqual(["public.churn"]);
    expect(round.analyzed).toEqual([]);
    const after = await stats("churn");
    expect(after?.dead).toBe(0);
    expect(after?.vacuums).toBe((before?.vacuums ?? 0) + 1);
    // Nothing left to do.
    expect(await maintainPglite(pg)).toMatchObject({ vacuumed: [], analyzed: [] });
  });

  it("analyzes a table whose changed rows pass 50 + 10 % without vacuuming it", async () => {
    const before = await stats("big");
    await pg.exec("update big set v = v + 1 where id <= 1100;");
    const round = await maintainPglite(pg);
    expect(round.analyzed).toEqual(["public.big"]);
    expect(round.vacuumed).toEqual([]);
    const after = await stats("big");
    expect(after?.analyzes).toBe((before?.analyzes ?? 0) + 1);
    expect(after?.vacuums).toBe(before?.vacuums);
  });

  it("after migrations at start, vacuums the whole database before the server answers (counters or not); nothing when none ran", async () => {
    // An index-only scan's reads of the table: what a cleared visibility map costs.
    const heapFetches = async () => {
      await pg.exec("set enable_seqscan = off; set enable_bitmapscan = off");
      const plan = await pg.query<{ "QUERY PLAN": string }>(
        "explain (analyze) select id from big where id between 1 and 5000",
      );
      await pg.exec("reset enable_seqscan; reset enable_bitmapscan");
      const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
      expect(text).toMatch(/Index Only Scan/);
      return Number(/Heap Fetches: (\d+)/.exec(text)?.[1]);
    };
    // A migration that rewrites a table (as 0019 did every occurrence).
    await pg.exec("update big set v = v + 1;");
    expect(await maintainAfterMigrations(pg, 0)).toBeNull();
    expect(await heapFetches()).toBeGreaterThan(0);
    expect(await maintainAfterMigrations(pg, 1)).toBeGreaterThanOrEqual(0);
    expect(await heapFetches()).toBe(0);
  });
});
