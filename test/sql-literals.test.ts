/**
 * Values written into a statement's text instead of sent as parameters (src/db/client.ts):
 * a page size, so a prepared statement's one generic plan knows it, and a municipality's id,
 * so that plan can use the municipality's partial search index. Only what passes the check
 * is written; anything else throws before any SQL is built.
 */
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { intLiteral, uuidLiteral } from "../src/db/client.ts";

const dialect = new PgDialect();
const render = (q: ReturnType<typeof sql>) => dialect.sqlToQuery(q);

describe("SQL literals", () => {
  it("writes a page size and a uuid into the text, with no parameter", () => {
    const q = render(
      sql`select 1 where ${uuidLiteral("00000000-0000-4000-8000-00000000000A")} is not null limit ${intLiteral(21)}`,
    );
    expect(q.sql).toBe("select 1 where '00000000-0000-4000-8000-00000000000a'::uuid is not null limit 21");
    expect(q.params).toEqual([]);
  });

  it("refuses anything that is not exactly a uuid or a safe integer", () => {
    for (const bad of [
      "",
      "00000000-0000-4000-8000-000000000001'; drop table events; --",
      "00000000-0000-4000-8000-00000000000",
      " 00000000-0000-4000-8000-000000000001",
      "00000000-0000-4000-8000-000000000001\n",
      "g0000000-0000-4000-8000-000000000001",
    ])
      expect(() => uuidLiteral(bad), JSON.stringify(bad)).toThrow(TypeError);
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])
      expect(() => intLiteral(bad), String(bad)).toThrow(TypeError);
  });
});
