// The benchmark's baseline (bench/run.ts): a bare node:http server in its own process,
// like the real server, answering every request with the same status, headers and bytes.
// Usage: node bench/baseline.mjs <spec.json> — spec: { status, headers, bodyFile }.
// Prints the port it listens on (127.0.0.1) once ready.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const body = readFileSync(spec.bodyFile);
const server = createServer((_req, res) => {
  res.writeHead(spec.status, spec.headers);
  res.end(body);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
