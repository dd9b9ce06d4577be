/**
 * What the database drivers are doing, as plain numbers (#22): how many statements are in flight
 * (sent, or waiting for a connection or PGlite's lock, and not yet answered), how many were sent,
 * and the time they spent in flight. The drivers count around their own calls (`countPostgres`,
 * `countPglite`, which hand Drizzle a counting stand-in for the client); the Node runtime reads the
 * numbers into Prometheus (src/runtime/node/metrics.ts). No prom-client and no node:* here.
 *
 * The hot path is a few integer updates, a clock read and one then() on the driver's promise per
 * statement: the time in flight is kept as the integral of `inFlight` over time (Little's law),
 * not per statement, so nothing is allocated for it. Its rate is the mean number in flight; divided by the rate of `queries`, the
 * mean time a statement waited and ran.
 *
 * Counted: every statement Drizzle sends, and the BEGIN, COMMIT/ROLLBACK and SAVEPOINT that frame
 * a transaction (BEGIN stays in flight while it waits for a free connection). Not counted: the
 * data-version listener's own connection and PGlite's start-up statements.
 */

export class DbStats {
  /** Connections the driver may use at once: postgres.js `max`; PGlite: 1. */
  readonly poolSize: number;
  /** Statements sent (or queued) and not yet answered. */
  inFlight = 0;
  /** Statements sent since start. */
  queries = 0;
  /** Transactions begun since start. */
  transactions = 0;
  /** Milliseconds × statements in flight, up to `since`. */
  private busy = 0;
  private since = performance.now();
  /** Ends one statement; one function for every statement (`promise.then(done, done)`). */
  readonly done = (): void => {
    this.tick();
    this.inFlight--;
  };

  constructor(poolSize: number) {
    this.poolSize = poolSize;
  }

  /** One statement is sent (or queued). */
  start(): void {
    this.tick();
    this.inFlight++;
    this.queries++;
  }

  /** Statement-seconds spent in flight since start (queue included). */
  get inFlightSeconds(): number {
    this.tick();
    return this.busy / 1000;
  }

  private tick(): void {
    const now = performance.now();
    if (this.inFlight !== 0) this.busy += this.inFlight * (now - this.since);
    this.since = now;
  }
}

/**
 * Counts a transaction run by `run(body)`: its opening statement is in flight until the driver
 * calls the body (BEGIN answered, a connection held), its closing statement from the body's end
 * until `run` settles. Balanced even when the driver gives up while the body still runs.
 */
function countFramed<C, T>(
  stats: DbStats,
  run: (body: (inner: C) => Promise<T>) => Promise<T>,
  body: (inner: C) => Promise<T> | T,
  closing: boolean,
): Promise<T> {
  // 0: opening statement in flight; 1: in the body; 2: closing statement in flight; 3: settled.
  let phase = 0;
  stats.start();
  const settle = () => {
    if (phase === 0 || phase === 2) stats.done();
    phase = 3;
  };
  return run(async (inner) => {
    if (phase === 0) {
      phase = 1;
      stats.done();
    }
    try {
      return await body(inner);
    } finally {
      if (phase === 1) {
        phase = closing ? 2 : 3;
        if (closing) stats.start();
      }
    }
  }).then(
    (result) => {
      settle();
      return result;
    },
    (err: unknown) => {
      settle();
      throw err;
    },
  );
}

/** The part of a postgres.js `Sql` (or its transaction) that Drizzle calls. */
interface PostgresLike {
  unsafe(query: unknown, params?: unknown, options?: unknown): PromiseLike<unknown>;
  begin?(...args: unknown[]): Promise<unknown>;
  savepoint?(...args: unknown[]): Promise<unknown>;
  options?: unknown;
}

/**
 * A stand-in for a postgres.js client that counts into `stats`: `unsafe` (every Drizzle
 * statement), `begin` and `savepoint` (whose inner clients count too). postgres.js runs a query
 * once something awaits it, after a tick, so `.values()` called on the result still applies.
 */
export function countPostgres<S>(client: S, stats: DbStats): S {
  const wrap = (sql: PostgresLike): PostgresLike => {
    const out: PostgresLike = {
      unsafe(text, params, options) {
        stats.start();
        const query = sql.unsafe(text, params, options);
        query.then(stats.done, stats.done);
        return query;
      },
    };
    if (sql.begin) {
      const begin = sql.begin.bind(sql);
      out.begin = (...args) => {
        const body = args.pop() as (inner: PostgresLike) => Promise<unknown>;
        stats.transactions++;
        return countFramed<PostgresLike, unknown>(
          stats,
          (b) => begin(...args, (inner: PostgresLike) => b(wrap(inner))),
          body,
          true,
        );
      };
    }
    if (sql.savepoint) {
      const savepoint = sql.savepoint.bind(sql);
      out.savepoint = (...args) => {
        const body = args.pop() as (inner: PostgresLike) => Promise<unknown>;
        return countFramed<PostgresLike, unknown>(
          stats,
          (b) => savepoint(...args, (inner: PostgresLike) => b(wrap(inner))),
          body,
          false,
        );
      };
    }
    // Drizzle sets its type parsers on the client's options.
    if ("options" in sql) out.options = sql.options;
    return out;
  };
  return wrap(client as unknown as PostgresLike) as unknown as S;
}

/** The part of a PGlite client (or its transaction) that Drizzle calls. */
interface PgliteLike {
  query(query: unknown, params?: unknown, options?: unknown): Promise<unknown>;
  transaction?(body: (tx: PgliteLike) => Promise<unknown>): Promise<unknown>;
}

/**
 * A stand-in for a PGlite client that counts into `stats`: `query` (every Drizzle statement,
 * counted while it waits for PGlite's lock too) and `transaction` (whose inner client counts).
 */
export function countPglite<P>(client: P, stats: DbStats): P {
  const wrap = (db: PgliteLike): PgliteLike => {
    const out: PgliteLike = {
      query(text, params, options) {
        stats.start();
        const result = db.query(text, params, options);
        result.then(stats.done, stats.done);
        return result;
      },
    };
    if (db.transaction) {
      const transaction = db.transaction.bind(db);
      out.transaction = (body) => {
        stats.transactions++;
        return countFramed<PgliteLike, unknown>(stats, (b) => transaction((tx) => b(wrap(tx))), body, true);
      };
    }
    return out;
  };
  return wrap(client as unknown as PgliteLike) as unknown as P;
}
