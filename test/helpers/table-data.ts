/**
 * Every table, row by row, on either driver: for upgrade and backup drills that must show
 * that no row was lost or changed. Rows are compared as their jsonb text (both connections
 * run in UTC), sorted, so the order rows were written in does not matter.
 */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../../src/db/client.ts";

/** The tables in the app schema (public), by name. */
export async function publicTables(db: Queryable): Promise<string[]> {
  const rows = await queryRows(
    db,
    sql`select table_name as t from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  return rows.map((r) => String(r.t));
}

/** A table's columns that can be written (not generated), in order. */
export async function writableColumns(db: Queryable, table: string): Promise<string[]> {
  const rows = await queryRows(
    db,
    sql`select column_name as c from information_schema.columns
        where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER'
        order by ordinal_position`,
  );
  return rows.map((r) => String(r.c));
}

/** The rows of `table` (only `columns` when given) as sorted jsonb texts. */
export async function tableRows(db: Queryable, table: string, columns?: string[]): Promise<string[]> {
  const cols = columns ?? (await writableColumns(db, table));
  const list = sql.join(
    cols.map((c) => sql.identifier(c)),
    sql`, `,
  );
  const rows = await queryRows(
    db,
    sql`select to_jsonb(x)::text as j from (select ${list} from ${sql.identifier(table)}) x`,
  );
  return rows.map((r) => String(r.j)).sort();
}

/** Every table's rows, by table name. */
export async function allRows(db: Queryable, tables?: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of tables ?? (await publicTables(db))) out[t] = await tableRows(db, t);
  return out;
}

/** Rows in `a` missing from `b`, per table (multiset difference). */
export function missingRows(
  a: Record<string, string[]>,
  b: Record<string, string[]>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(a)) {
    const left = new Map<string, number>();
    for (const r of b[table] ?? []) left.set(r, (left.get(r) ?? 0) + 1);
    const missing: string[] = [];
    for (const r of rows) {
      const n = left.get(r) ?? 0;
      if (n > 0) left.set(r, n - 1);
      else missing.push(r);
    }
    if (missing.length > 0) out[table] = missing;
  }
  return out;
}

/**
 * Copies every row of `from` into `to` for the tables and columns both have (a database
 * made by an older schema gets the data a newer one holds, minus what it has no place for).
 * Replaces what `to` had. Foreign keys and triggers are off while copying
 * (session_replication_role = replica).
 */
export async function copyCommonData(from: Queryable, to: Queryable): Promise<void> {
  const target = await publicTables(to);
  const source = new Set(await publicTables(from));
  await to.transaction(async (tx) => {
    await queryRows(tx, sql`set local session_replication_role = replica`);
    for (const table of target.filter((t) => source.has(t))) {
      const have = new Set(await writableColumns(from, table));
      const cols = (await writableColumns(tx, table)).filter((c) => have.has(c));
      const list = sql.join(
        cols.map((c) => sql.identifier(c)),
        sql`, `,
      );
      const [row] = await queryRows(
        from,
        sql`select coalesce(json_agg(x), '[]')::text as j from (select ${list} from ${sql.identifier(table)}) x`,
      );
      // Rows the migrations wrote (the default municipality, the data version) come from `from` too.
      await queryRows(tx, sql`delete from ${sql.identifier(table)}`);
      await queryRows(
        tx,
        sql`insert into ${sql.identifier(table)} (${list})
            select ${list} from json_populate_recordset(null::${sql.identifier(table)}, ${String(row?.j)}::json)`,
      );
    }
  });
}

/**
 * Writes one made-up row into every empty table (a future table gets one too, with no
 * change here): NOT NULL columns without a default get a value of their type, foreign keys
 * point at an existing row of the referenced table. `overrides` fixes values a check
 * constraint needs, per table and column (SQL expressions).
 */
export async function fillEmptyTables(
  db: Queryable,
  overrides: Record<string, Record<string, string>> = {},
): Promise<string[]> {
  const filled: string[] = [];
  // Referenced tables first: repeat until no empty table can be filled.
  for (let round = 0; round < 6; round++) {
    let progress = false;
    for (const table of await publicTables(db)) {
      const [n] = await queryRows(db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
      if (Number(n?.n) > 0) continue;
      const cols = await queryRows(
        db,
        sql`select c.column_name as c, c.udt_name as t, c.data_type as dt, c.is_nullable = 'YES' as nullable,
                   c.column_default is not null as has_default,
                   (select e.enumlabel from pg_enum e join pg_type ty on ty.oid = e.enumtypid
                     where ty.typname = c.udt_name order by e.enumsortorder limit 1) as enum_first,
                   (select ccu.table_name from information_schema.key_column_usage k
                      join information_schema.referential_constraints rc on rc.constraint_name = k.constraint_name
                      join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name
                     where k.table_name = c.table_name and k.column_name = c.column_name limit 1) as ref_table,
                   (select ccu.column_name from information_schema.key_column_usage k
                      join information_schema.referential_constraints rc on rc.constraint_name = k.constraint_name
                      join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name
                     where k.table_name = c.table_name and k.column_name = c.column_name limit 1) as ref_column
            from information_schema.columns c
            where c.table_schema = 'public' and c.table_name = ${table} and c.is_generated = 'NEVER'
            order by c.ordinal_position`,
      );
      const names: string[] = [];
      const values: string[] = [];
      let blocked = false;
      // Two references to one table (a neighbour pair) point at two different rows.
      const seen = new Map<string, number>();
      for (const col of cols) {
        const name = String(col.c);
        const override = overrides[table]?.[name];
        let value: string | undefined = override;
        if (value === undefined && col.ref_table) {
          const refTable = String(col.ref_table);
          const offset = seen.get(refTable) ?? 0;
          seen.set(refTable, offset + 1);
          const [ref] = await queryRows(
            db,
            sql`select ${sql.identifier(String(col.ref_column))}::text as v from ${sql.identifier(refTable)}
                order by 1 limit 1 offset ${offset}`,
          );
          if (ref) value = `'${String(ref.v).replace(/'/g, "''")}'`;
          else if (!col.nullable) blocked = true;
        }
        if (value === undefined && (col.nullable || col.has_default)) continue;
        value ??= valueOfType(String(col.t), String(col.dt), col.enum_first as string | null);
        names.push(`"${name}"`);
        values.push(value);
      }
      if (blocked) continue;
      await queryRows(
        db,
        sql.raw(`insert into "${table}" (${names.join(", ")}) values (${values.join(", ")})`),
      );
      filled.push(table);
      progress = true;
    }
    if (!progress) break;
  }
  return filled;
}

function valueOfType(udt: string, dataType: string, enumFirst: string | null): string {
  if (enumFirst) return `'${enumFirst}'`;
  if (dataType === "ARRAY") return "'{}'";
  switch (udt) {
    case "uuid":
      return "gen_random_uuid()";
    case "text":
    case "varchar":
    case "citext":
      return `'filler-' || substr(md5(random()::text), 1, 8)`;
    case "jsonb":
    case "json":
      return `'{"fi":"täyte"}'`;
    case "int2":
    case "int4":
    case "int8":
    case "numeric":
    case "float4":
    case "float8":
      return "1";
    case "bool":
      return "false";
    case "timestamptz":
    case "timestamp":
      return "now()";
    case "date":
      return "current_date";
    case "bytea":
      return "'\\x00'::bytea";
    case "tsvector":
      return "''::tsvector";
    default:
      throw new Error(`fillEmptyTables: no value for type ${udt}`);
  }
}
