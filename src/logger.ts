/**
 * Structured JSON logs, one object per line. Runtime-neutral (console only), so the
 * same logger works on Node and on Workers. No line carries an email address: every
 * address (in any field, an error message or a request path) is written as a keyed hash
 * and its domain, e.g. "[email 3f2a9c1b at example.fi]".
 */
import { keyedHash } from "./domain/secrets.ts";

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

/** An email address in a log line, also percent-encoded ("%40") as in a request path. */
const EMAIL =
  /[\p{L}\p{N}.!#$%'*+^_`{|}~-]+(?:@|%40)((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,})/giu;

/**
 * `text` with each email address replaced by a pseudonym: the first 8 hex digits of its
 * keyed hash (the same address gives the same pseudonym, so lines can be correlated) and
 * its domain. `key` should be a server secret; without one the hash is merely unkeyed.
 */
export function redactEmails(text: string, key = ""): string {
  if (!text.includes("@") && !/%40/i.test(text)) return text;
  return text.replace(EMAIL, (address, domain: string) => {
    const normal = address.toLowerCase().replace(/%40/i, "@");
    return `[email ${keyedHash(key, "log", normal).slice(0, 8)} at ${domain.toLowerCase()}]`;
  });
}

export function createLogger(
  level: LogLevel = "info",
  write: (line: string) => void = (line) => console.log(line),
  opts: { redactionKey?: string } = {},
): Logger {
  const emit = (lvl: Exclude<LogLevel, "silent">, msg: string, fields?: LogFields) => {
    if (!logsAt(level, lvl)) return;
    const entry: LogFields = { time: new Date().toISOString(), level: lvl, msg, ...fields };
    const err = entry.err;
    if (err instanceof Error) {
      entry.err = { name: err.name, message: err.message, stack: err.stack };
    }
    write(redactEmails(JSON.stringify(entry), opts.redactionKey));
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
