/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the PGlite database in DATA_DIR. */
import { loadConfig } from "../config.ts";
import { openDatabase } from "../runtime/node/database.ts";
import { migrateDatabase } from "../runtime/node/migrate.ts";

const config = loadConfig(process.env);
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, max: 1 });
try {
  await migrateDatabase(database, config.databaseUrl);
  process.stderr.write(
    `Migrations applied (${database.driver}${config.databaseUrl ? "" : `, ${config.dataDir}`}).\n`,
  );
} finally {
  await database.close();
}
