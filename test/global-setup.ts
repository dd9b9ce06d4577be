/**
 * Runs once per test run. Builds the server bundle (dist/server.js) that tests which start
 * a real server process run, and prepares a migrated template that every test file copies:
 * - PGlite (default): a migrated in-memory database dumped to a file, loaded per file.
 * - PostgreSQL (TEST_DATABASE_URL): a migrated template database, cloned per file
 *   with CREATE DATABASE … TEMPLATE, dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migratePgliteDatabase, migratePostgresUrl } from "../src/runtime/node/migrate.ts";
import { openPglite } from "../src/runtime/node/pglite.ts";
import { buildServer } from "../src/scripts/build-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDump: string;
    pgTemplate: string;
    pgRunId: string;
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  // Tests that start the server run it as `npm start` does: from the bundle of this source.
  await buildServer();
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const runId = randomBytes(4).toString("hex");
    const template = `kk_tpl_${runId}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${template}"`);
    await migratePostgresUrl(withDatabase(url, template));
    project.provide("pgTemplate", template);
    project.provide("pgRunId", runId);
    project.provide("pgliteDump", "");
    return async () => {
      const leftovers = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`kk_t_${runId}_%`} or datname = ${template}`;
      for (const { datname } of leftovers) {
        await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      }
      await admin.end({ timeout: 5 });
    };
  }

  const dir = await mkdtemp(join(tmpdir(), "kk-test-"));
  const database = await openPglite();
  await migratePgliteDatabase(database);
  const client = (database.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir("none");
  const file = join(dir, "migrated.tar");
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide("pgliteDump", file);
  project.provide("pgTemplate", "");
  project.provide("pgRunId", "");
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
