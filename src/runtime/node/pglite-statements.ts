/**
 * Prepared statements on PGlite. PGlite's `query()` sends each statement unnamed, so PostgreSQL
 * parses and plans it on every execution; postgres.js names every statement and PostgreSQL keeps
 * its plan. On PGlite planning costs more than running the hot read statements: the list's page
 * statement at 10,000 events took 11.8 ms through `query()` and 1.8 ms as EXECUTE of a prepared
 * statement (planning itself asks every relation's size, and each such question is an fstat in
 * Emscripten's file system; #15).
 *
 * The statements `queryRows` marks as hot (PREPARED_MARK, src/db/client.ts) are PREPAREd once,
 * under a name of their own, and run with EXECUTE. PostgreSQL takes no bind parameters in EXECUTE,
 * so the parameters are written into it as quoted literals, which PostgreSQL coerces to the
 * prepared parameters' types exactly as it reads a text-format bind value. Only strings (quotes
 * doubled; standard_conforming_strings must be on, so a backslash is an ordinary character),
 * finite numbers, booleans, dates and null are written so; a statement with any other parameter
 * (an object, bytes) runs through `query()` as before. Every other statement, and every statement
 * inside a transaction, runs through `query()` unchanged.
 *
 * At most `max` statements are kept (least recently used go with DEALLOCATE). PGlite runs one
 * statement at a time in the order asked, so a statement is prepared once even when two requests
 * ask for it together, and an EXECUTE is never overtaken by the DEALLOCATE of its statement.
 */
import { PREPARED_MARK } from "../../db/client.ts";

/** The part of a PGlite client that Drizzle calls. */
interface PgliteLike {
  query(query: string, params?: unknown[], options?: unknown): Promise<unknown>;
  transaction?(body: (tx: never) => Promise<unknown>): Promise<unknown>;
}

/** A parameter as an SQL literal, or undefined when it is not one this writes. */
export function sqlLiteral(v: unknown): string | undefined {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return v.includes("\0") ? undefined : `'${v.replaceAll("'", "''")}'`;
  if (typeof v === "number") return Number.isFinite(v) ? `'${v}'` : undefined;
  if (typeof v === "bigint") return `'${v}'`;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : `'${v.toISOString()}'`;
  return undefined;
}

/** PostgreSQL's SQLSTATE for "prepared statement … does not exist". */
const NO_SUCH_STATEMENT = "26000";

/**
 * `client` with hot statements prepared (see above). `client` must have
 * standard_conforming_strings on (PostgreSQL's default; openPglite sets it).
 */
export function preparingPglite<P>(client: P, opts: { max?: number } = {}): P {
  const inner = client as unknown as PgliteLike;
  const max = opts.max ?? 100;
  /** Statement text → the name it is prepared under, once its PREPARE has been answered. */
  const names = new Map<string, Promise<string>>();
  let seq = 0;

  const prepare = (text: string): Promise<string> => {
    let name = names.get(text);
    if (name) {
      // Most recently used last: the map's order is the eviction order.
      names.delete(text);
      names.set(text, name);
      return name;
    }
    const id = `kk_s${++seq}`;
    name = inner.query(`prepare ${id} as ${text}`).then(() => id);
    names.set(text, name);
    // A failed PREPARE (an error in the statement) is not kept; the caller sees the error.
    name.catch(() => {
      if (names.get(text) === name) names.delete(text);
    });
    if (names.size > max) {
      const [oldest, gone] = names.entries().next().value as [string, Promise<string>];
      names.delete(oldest);
      gone.then((n) => inner.query(`deallocate ${n}`)).catch(() => {});
    }
    return name;
  };

  const execute = async (text: string, literals: string[], options: unknown, retry: boolean) => {
    const name = await prepare(text);
    const args = literals.length ? `(${literals.join(", ")})` : "";
    try {
      return await inner.query(`execute ${name}${args}`, [], options);
    } catch (err) {
      // Gone (a DEALLOCATE ALL or DISCARD elsewhere): prepare it again, once.
      if (retry && (err as { code?: string }).code === NO_SUCH_STATEMENT) {
        names.delete(text);
        return execute(text, literals, options, false);
      }
      throw err;
    }
  };

  const out: PgliteLike = {
    query(text, params = [], options) {
      if (typeof text === "string" && text.startsWith(PREPARED_MARK)) {
        const literals = params.map(sqlLiteral);
        if (literals.every((l) => l !== undefined)) return execute(text, literals as string[], options, true);
      }
      return inner.query(text, params, options);
    },
  };
  if (inner.transaction) out.transaction = inner.transaction.bind(inner);
  return out as unknown as P;
}
