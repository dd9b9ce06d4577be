/**
 * Where the Node server's log lines go: standard output, in batches. `console.log` wrote each
 * line on its own, and on Linux a write to a file or a pipe (journald, docker) is synchronous:
 * with one "request" line per answer, that was 40 µs of the 90 µs a 304 from the fast path costs
 * (#15: 40,000 revalidations took 3.5–3.9 s of CPU with the request log, 2.0 s without). Lines
 * are now joined and written once per turn of the event loop, or as soon as 64 KB wait, and at
 * exit whatever is left is written before the process ends (`exit` handlers run synchronously,
 * and so does a write to a file or pipe), so no line is lost to a batch.
 */

export interface LogSink {
  write(line: string): void;
  /** Writes what waits, now. */
  flush(): void;
}

export function batchedLogSink(
  out: { write(chunk: string): unknown } = process.stdout,
  opts: { maxChars?: number; onExit?: (flush: () => void) => void } = {},
): LogSink {
  const maxChars = opts.maxChars ?? 65_536;
  let waiting: string[] = [];
  let chars = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (waiting.length === 0) return;
    const text = `${waiting.join("\n")}\n`;
    waiting = [];
    chars = 0;
    out.write(text);
  };
  (opts.onExit ?? ((f) => process.on("exit", f)))(flush);
  return {
    write(line) {
      waiting.push(line);
      chars += line.length + 1;
      if (chars >= maxChars) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
