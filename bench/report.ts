/**
 * `npm run bench:report`: the README's compact view of bench/results/latest.json — one row
 * per endpoint, database and size: req/s at 1, 10 and 50 connections, p50/p99 at 10, and
 * the ratio to the bare node:http baseline at 10 connections; SQL statements per request at 10
 * and the mixed load (#15) when the run measured them.
 */
import { readFile } from "node:fs/promises";
import type { Latency, Measurement, MixedMeasurement } from "./types.ts";

const file = new URL("./results/latest.json", import.meta.url);
const { machine, durationSeconds, results, mixed } = JSON.parse(await readFile(file, "utf8")) as {
  machine: { cpus: string; memoryGb: number; node: string; date: string; loadAverage?: number };
  durationSeconds: number;
  results: Measurement[];
  /** Absent in runs before #15. */
  mixed?: MixedMeasurement[];
};
const withSql = results.some((r) => r.sqlPerRequest !== undefined);
const n = (v: number) => v.toLocaleString("en-US");
const lines = [
  `${machine.date.slice(0, 10)}, ${machine.cpus}, ${machine.memoryGb} GiB, Node ${machine.node}, ${durationSeconds} s per measurement${machine.loadAverage === undefined ? "" : `, load average at the end ${machine.loadAverage}`}.`,
  "",
  `| endpoint | db | events | c=1 req/s | c=10 req/s (p50/p99 ms) | c=50 req/s | ratio to baseline at c=10 |${withSql ? " SQL/req at c=10 |" : ""}`,
  `|---|---|---|---|---|---|---|${withSql ? "---|" : ""}`,
];
const keys = [...new Set(results.map((r) => `${r.db}\u0000${r.size}\u0000${r.endpoint}`))];
for (const key of keys) {
  const [db, size, endpoint] = key.split("\u0000") as [string, string, string];
  const at = (c: number) =>
    results.find(
      (r) => r.db === db && String(r.size) === size && r.endpoint === endpoint && r.connections === c,
    );
  const c1 = at(1);
  const c10 = at(10);
  const c50 = at(50);
  lines.push(
    `| ${endpoint} | ${db} | ${n(Number(size))} | ${c1 ? n(c1.rps) : ""} | ${c10 ? `${n(c10.rps)} (${c10.p50}/${c10.p99})` : ""} | ${c50 ? n(c50.rps) : ""} | ${c10 ? `${c10.ratio} (of ${n(c10.baselineRps)})` : ""} |${withSql ? ` ${c10?.sqlPerRequest ?? ""} |` : ""}`,
  );
}
if (mixed?.length) {
  const lat = (l: Latency) => `${l.p50}/${l.p99}${l.failed ? ` (${l.failed} failed)` : ""}`;
  lines.push(
    "",
    "Mixed load (90 % cached reads, 9 % uncached filters, 1 % writes; p50/p99 ms):",
    "",
    "| db | events | conns | req/s | reads | uncached reads | writes (count) | SQL/req |",
    "|---|---|---|---|---|---|---|---|",
    ...mixed.map(
      (x) =>
        `| ${x.db} | ${n(x.size)}${x.municipalities ? ` ×${x.municipalities}` : ""} | ${x.connections} | ${n(x.rps)} | ${lat(x.reads)} | ${lat(x.uncachedReads)} | ${lat(x.writes)} (${x.writes.requests}) | ${x.sqlPerRequest} |`,
    ),
  );
}
process.stdout.write(`${lines.join("\n")}\n`);
