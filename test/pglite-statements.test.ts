/**
 * PGlite keeps the statements queryRows marks prepared (src/runtime/node/pglite-statements.ts):
 * PREPARE once, EXECUTE with the parameters written as literals. The literals must carry any
 * value through unchanged (quotes, backslashes, an attempt to end the statement), the marked
 * statement must be prepared once however many ask for it at once, and a statement evicted or
 * deallocated behind its back is prepared again.
 */
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREPARED_MARK } from "../src/db/client.ts";
import { preparingPglite, sqlLiteral } from "../src/runtime/node/pglite-statements.ts";

let pg: PGlite;
beforeAll(async () => {
  pg = await PGlite.create();
  await pg.exec("create table t (id int primary key, name text)");
  await pg.exec("insert into t values (1, 'yksi'), (2, 'kaksi')");
});
afterAll(async () => {
  await pg.close();
});

const prepared = async () =>
  (await pg.query<{ name: string; statement: string }>("select name, statement from pg_prepared_statements"))
    .rows;

describe("sqlLiteral", () => {
  it("quotes strings with their quotes doubled, and leaves out what it cannot write", () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral("a\\b")).toBe("'a\\b'");
    expect(sqlLiteral(5)).toBe("'5'");
    expect(sqlLiteral(-1.5)).toBe("'-1.5'");
    expect(sqlLiteral(true)).toBe("true");
    expect(sqlLiteral(null)).toBe("null");
    expect(sqlLiteral(new Date("2026-01-02T03:04:05Z"))).toBe("'2026-01-02T03:04:05.000Z'");
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, "a\0b", { a: 1 }, [1], new Uint8Array(1)]) {
      expect(sqlLiteral(v)).toBeUndefined();
    }
  });
});

describe("preparingPglite", () => {
  it("carries every parameter through EXECUTE unchanged, injection attempts included", async () => {
    const client = preparingPglite(pg);
    const hostile = [
      "'); drop table t; --",
      "\\'; drop table t; --",
      "it''s \\\\ $1 $$ E'\\x41'",
      "ääkköset ja emoji 🎉",
    ];
    for (const v of hostile) {
      const { rows } = (await client.query(
        `${PREPARED_MARK}select $1::text as v, $2::int as n, $3::timestamptz as at`,
        [v, 7, "2026-01-02T03:04:05Z"],
      )) as { rows: { v: string; n: number; at: Date }[] };
      expect(rows[0]?.v).toBe(v);
      expect(rows[0]?.n).toBe(7);
      expect(rows[0]?.at.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    }
    expect((await pg.query("select count(*)::int as n from t")).rows).toEqual([{ n: 2 }]);
    // One statement, prepared once for all four.
    expect((await prepared()).filter((p) => p.statement.includes("$3::timestamptz"))).toHaveLength(1);
  });

  it("prepares a statement once when many ask for it together; unmarked statements and other parameters run as before", async () => {
    await pg.exec("deallocate all");
    const client = preparingPglite(pg);
    const text = `${PREPARED_MARK}select name from t where id = $1`;
    const answers = await Promise.all(
      [1, 2, 1, 2, 1].map((id) => client.query(text, [id]) as Promise<{ rows: { name: string }[] }>),
    );
    expect(answers.map((a) => a.rows[0]?.name)).toEqual(["yksi", "kaksi", "yksi", "kaksi", "yksi"]);
    expect(await prepared()).toHaveLength(1);
    // Not marked: not prepared.
    await client.query("select name from t where id = $1", [1]);
    // A parameter it does not write as a literal (an object, as JSON): the plain path.
    const json = (await client.query(`${PREPARED_MARK}select $1::jsonb as j`, [
      JSON.stringify({ a: 1 }),
    ])) as {
      rows: { j: unknown }[];
    };
    expect(json.rows[0]?.j).toEqual({ a: 1 });
    const object = (await client.query(`${PREPARED_MARK}select $1::jsonb as j`, [{ a: 1 }])) as {
      rows: { j: unknown }[];
    };
    expect(object.rows[0]?.j).toEqual({ a: 1 });
    const statements = (await prepared()).map((p) => p.statement);
    expect(statements).toHaveLength(2);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.stringContaining("where id = $1"),
        expect.stringContaining("$1::jsonb"),
      ]),
    );
  });

  it("keeps at most `max` statements, and prepares again what was deallocated behind its back", async () => {
    await pg.exec("deallocate all");
    const client = preparingPglite(pg, { max: 2 });
    for (const n of [1, 2, 3]) {
      await client.query(`${PREPARED_MARK}select ${n} + $1::int as v`, [1]);
    }
    const kept = await prepared();
    expect(kept).toHaveLength(2);
    expect(kept.map((p) => p.statement).join()).not.toContain("select 1 +");
    await pg.exec("deallocate all");
    const again = (await client.query(`${PREPARED_MARK}select 3 + $1::int as v`, [1])) as {
      rows: { v: number }[];
    };
    expect(again.rows[0]?.v).toBe(4);
  });

  it("reports an error in a marked statement, and does not keep it", async () => {
    await pg.exec("deallocate all");
    const client = preparingPglite(pg);
    await expect(client.query(`${PREPARED_MARK}select nope from t where id = $1`, [1])).rejects.toThrow(
      /nope/,
    );
    expect(await prepared()).toHaveLength(0);
    await expect(client.query(`${PREPARED_MARK}select 1 / $1::int as v`, [0])).rejects.toThrow(
      /division by zero/,
    );
    // Prepared, and usable after the error in its execution.
    const ok = (await client.query(`${PREPARED_MARK}select 1 / $1::int as v`, [1])) as {
      rows: { v: number }[];
    };
    expect(ok.rows[0]?.v).toBe(1);
  });
});
