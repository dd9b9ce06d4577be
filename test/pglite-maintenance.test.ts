/**
 * PGlite has no autovacuum (single-user mode): the server's maintenance round
 * (src/runtime/node/pglite-maintenance.ts) vacuums and analyzes the tables past PostgreSQL's
 * default thresholds, and leaves the others alone.
 */
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maintainPglite } from "../src/runtime/node/pglite-maintenance.ts";

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
});
