/**
 * The Node server's log lines go out in batches (src/runtime/node/log-sink.ts): one write per
 * turn of the event loop instead of a synchronous write per line, nothing lost at exit.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { batchedLogSink } from "../src/runtime/node/log-sink.ts";

describe("batched log sink", () => {
  it("writes the lines of one turn once, in order, after the turn", async () => {
    const writes: string[] = [];
    const sink = batchedLogSink({ write: (c) => writes.push(c) }, { onExit: () => {} });
    sink.write("a");
    sink.write("b");
    sink.write("c");
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(["a\nb\nc\n"]);
    sink.write("d");
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(["a\nb\nc\n", "d\n"]);
  });

  it("writes at once when the batch reaches its size", () => {
    const writes: string[] = [];
    const sink = batchedLogSink({ write: (c) => writes.push(c) }, { maxChars: 10, onExit: () => {} });
    sink.write("12345");
    expect(writes).toEqual([]);
    sink.write("67890");
    expect(writes).toEqual(["12345\n67890\n"]);
  });

  it("loses no line when the process exits right after logging", () => {
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "--eval",
        `import { batchedLogSink } from "./src/runtime/node/log-sink.ts";
         const sink = batchedLogSink();
         for (let i = 0; i < 5000; i++) sink.write("line " + i);
         process.exit(0);`,
      ],
      { encoding: "utf8", cwd: process.cwd() },
    );
    expect(child.status, child.stderr).toBe(0);
    const lines = child.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5000);
    expect(lines[4999]).toBe("line 4999");
  });
});
