/**
 * `npm run seed [-- --events N] [-- --date YYYY-MM-DD]`: loads the demo data set into an
 * empty database (migrating first). Refuses a non-empty database and NODE_ENV=production.
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { isIsoDate, localDate } from "../domain/time.ts";
import { openDatabase } from "../runtime/node/database.ts";
import { migrateDatabase } from "../runtime/node/migrate.ts";
import { isDatabaseEmpty, seedDatabase } from "../seed/load.ts";

const { values } = parseArgs({
  options: { events: { type: "string" }, date: { type: "string" } },
});
const config = loadConfig(process.env);
if (config.env === "production") {
  process.stderr.write("Refusing to load demo data with NODE_ENV=production.\n");
  process.exit(1);
}
const count = values.events === undefined ? undefined : Number(values.events);
if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 1_000_000)) {
  process.stderr.write("--events must be an integer from 1 to 1000000\n");
  process.exit(2);
}
if (values.date !== undefined && !isIsoDate(values.date)) {
  process.stderr.write("--date must be YYYY-MM-DD\n");
  process.exit(2);
}
const now = new Date();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrateDatabase(database, config.databaseUrl);
  if (!(await isDatabaseEmpty(database.db))) {
    process.stderr.write("The database already has data; seed only loads into an empty database.\n");
    process.exitCode = 1;
  } else {
    const t = performance.now();
    const result = await seedDatabase(database.db, {
      today: values.date ?? localDate(now, config.timezone),
      events: count,
      demoPassword: config.demoPassword,
      now,
      region: true,
      onProgress: (m) => process.stderr.write(`  ${((performance.now() - t) / 1000).toFixed(1)} s  ${m}\n`),
    });
    process.stderr.write(
      `Seeded ${result.events} events (${result.occurrences} occurrences), ${result.places} places, ${result.organisations} organisations in ${Math.round(performance.now() - t)} ms.\nDemo accounts: ${result.accounts.join(", ")}\n`,
    );
  }
} finally {
  await database.close();
}
