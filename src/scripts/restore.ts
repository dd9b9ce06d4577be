/**
 * `npm run restore -- FILE [--force]`: restores a backup made by `npm run backup` into the
 * database the configuration names (DATABASE_URL, else the PGlite data directory DATA_DIR).
 * Checks the SHA-256 checksum first. Refuses a non-empty target unless --force (a PGlite
 * directory is then moved aside, never deleted; a PostgreSQL database's schema is replaced).
 * Stop the server first. Then start it: it applies any newer migrations.
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { restoreBackup } from "../runtime/node/backup.ts";

const { values, positionals } = parseArgs({
  options: { force: { type: "boolean", default: false } },
  allowPositionals: true,
});
const file = positionals[0];
if (!file || positionals.length > 1) {
  process.stderr.write("Usage: npm run restore -- FILE [--force]\n");
  process.exit(2);
}
const config = loadConfig(process.env);
try {
  const r = await restoreBackup(
    file,
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
    { force: values.force },
  );
  process.stdout.write(
    `Restored ${file} (${r.format}, checksum ok) into ${r.target} in ${r.ms} ms.${r.movedAside ? `\nThe previous data directory was moved to ${r.movedAside}.` : ""}\n`,
  );
} catch (err) {
  process.stderr.write(`Restore failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
