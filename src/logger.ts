/**
 * Structured JSON logs, one object per line. Runtime-neutral (console only), so the
 * same logger works on Node and on Workers.
 */

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Whether a logger set to `setting` writes entries of level `lvl`. */
export const logsAt = (setting: LogLevel, lvl: Exclude<LogLevel, "silent">) => RANK[lvl] >= RANK[setting];

export function createLogger(
  level: LogLevel = "info",
  write: (line: string) => void = (line) => console.log(line),
): Logger {
  const emit = (lvl: Exclude<LogLevel, "silent">, msg: string, fields?: LogFields) => {
    if (!logsAt(level, lvl)) return;
    const entry: LogFields = { time: new Date().toISOString(), level: lvl, msg, ...fields };
    const err = entry.err;
    if (err instanceof Error) {
      entry.err = { name: err.name, message: err.message, stack: err.stack };
    }
    write(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

/** A logger that keeps entries in memory, for tests. */
export function createMemoryLogger(): Logger & { entries: LogFields[] } {
  const entries: LogFields[] = [];
  const logger = createLogger("debug", (line) => entries.push(JSON.parse(line) as LogFields));
  return Object.assign(logger, { entries });
}
