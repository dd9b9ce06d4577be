/** A test database loaded with the demo data set for a fixed date. */
import { seedDatabase } from "../../src/seed/load.ts";
import { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from "./db.ts";

export const SEED_TODAY = "2026-10-01";
export const SEED_NOW = new Date("2026-10-01T06:00:00Z");

export async function createSeededDatabase(
  events?: number,
  opts: TestDatabaseOptions & { region?: boolean } = {},
): Promise<TestDatabase> {
  const { region, ...dbOpts } = opts;
  const database = await createTestDatabase(dbOpts);
  await seedDatabase(database.db, {
    today: SEED_TODAY,
    now: SEED_NOW,
    demoPassword: "test-password",
    events,
    region: region ?? false,
  });
  return database;
}
