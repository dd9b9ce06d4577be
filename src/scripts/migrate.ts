/**
 * `npm run migrate [-- --dry-run]`: applies pending migrations to DATABASE_URL, or to the
 * PGlite database in DATA_DIR. With --dry-run it lists them (name and the first line of
 * the migration's comment) and changes nothing. Both refuse a database that has migrations
 * this code does not know (exit code 3), naming them.
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../runtime/node/database.ts";
import { migrateDatabase, migrationStatus, UnknownMigrationsError } from "../runtime/node/migrate.ts";

const { values } = parseArgs({ options: { "dry-run": { type: "boolean", default: false } } });
const say = (msg: string) => process.stdout.write(`${msg}\n`);
const config = loadConfig(process.env);
const where = config.databaseUrl ? "PostgreSQL" : `PGlite, ${config.dataDir}`;
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, max: 1 });
let code = 0;
try {
  if (values["dry-run"]) {
    const status = await migrationStatus(database.db);
    if (status.unknown.length > 0) throw new UnknownMigrationsError(status.unknown);
    say(`${status.applied} migration(s) applied; ${status.pending.length} pending (${where}):`);
    for (const m of status.pending) say(`  ${m.tag}  ${m.summary}`);
    if (status.pending.length === 0) say("  (none: the database is up to date)");
  } else {
    const status = await migrateDatabase(database, config.databaseUrl);
    say(
      status.pending.length === 0
        ? `Nothing to apply: the database is up to date (${where}).`
        : `Applied ${status.pending.length} migration(s) in one transaction (${where}): ${status.pending.map((m) => m.tag).join(", ")}`,
    );
  }
} catch (err) {
  if (!(err instanceof UnknownMigrationsError)) throw err;
  process.stderr.write(`${err.message}\n`);
  code = 3;
} finally {
  await database.close();
}
process.exit(code);
