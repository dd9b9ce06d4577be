/**
 * `npm run municipality -- <command>`: the operators' tool for the municipalities of a region
 * (DATABASE_URL, else the PGlite database in DATA_DIR). Uses the same domain functions and
 * contract schemas as the admin API, so the same checks hold (reserved slugs, hosts unique
 * across the region, languages, one transaction per command).
 *
 *   list [--json]
 *   create --slug S --name-fi N [--name-sv N] [--name-en N] [--languages fi,sv] [--default-locale fi]
 *          [--host H]… [--public-url URL] [--lat X --lon Y] [--admin-email E]
 *   update <slug> [--slug NEW] [--name-fi N] [--name-sv N] [--name-en N] [--languages fi,sv]
 *          [--default-locale fi] [--add-host H]… [--remove-host H]… [--public-url URL|""]
 *   grant-admin <slug> <email> [--role moderator]
 *
 * Turning a single-municipality installation into a named municipality of a region: after
 * `npm run migrate` its data belongs to the municipality `default`; `update default --slug
 * nurmijarvi --name-fi Nurmijärvi --add-host kalenteri.nurmijarvi.fi` renames it in place
 * (ids stay, so every event, place and log entry stays with it).
 */
import { parseArgs } from "node:util";
import type { z } from "zod";
import { loadConfig } from "../config.ts";
import { CreateMunicipalityBody, UpdateMunicipalityBody } from "../contract/api/admin.ts";
import { MUNICIPALITY_ROLES, type MunicipalityRole } from "../contract/codes.ts";
import { systemClock } from "../domain/context.ts";
import { DomainError, ValidationError } from "../domain/errors.ts";
import {
  allMunicipalities,
  insertMunicipality,
  type MunicipalityView,
  municipalityBySlug,
  municipalityCounts,
  updateMunicipality,
} from "../domain/municipalities/municipalities.ts";
import { grantStaff, inviteStaffIn } from "../domain/municipalities/staff.ts";
import { createRenderer } from "../domain/notifications/notifications.ts";
import { createOutbox, logMailer } from "../domain/notifications/outbox.ts";
import { createLogger } from "../logger.ts";
import { openDatabase } from "../runtime/node/database.ts";
import { migrateDatabase } from "../runtime/node/migrate.ts";

const USAGE = `Usage: npm run municipality -- <command>
  list [--json]
  create --slug S --name-fi N [--name-sv N] [--name-en N] [--languages fi,sv] [--default-locale fi]
         [--host H]... [--public-url URL] [--lat X --lon Y] [--admin-email E]
  update <slug> [--slug NEW] [--name-fi N] [--name-sv N] [--name-en N] [--languages fi,sv]
         [--default-locale fi] [--add-host H]... [--remove-host H]... [--public-url URL|""]
  grant-admin <slug> <email> [--role admin|moderator]
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean" },
    slug: { type: "string" },
    "name-fi": { type: "string" },
    "name-sv": { type: "string" },
    "name-en": { type: "string" },
    languages: { type: "string" },
    "default-locale": { type: "string" },
    host: { type: "string", multiple: true },
    "add-host": { type: "string", multiple: true },
    "remove-host": { type: "string", multiple: true },
    "public-url": { type: "string" },
    lat: { type: "string" },
    lon: { type: "string" },
    "admin-email": { type: "string" },
    role: { type: "string" },
  },
});

class UsageError extends Error {}

/** Parses with a contract schema; a bad field is a usage error naming it, as in the API. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new UsageError(r.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const name = () => {
  const n: Record<string, string> = {};
  if (values["name-fi"] !== undefined) n.fi = values["name-fi"];
  if (values["name-sv"] !== undefined) n.sv = values["name-sv"];
  if (values["name-en"] !== undefined) n.en = values["name-en"];
  return Object.keys(n).length ? n : undefined;
};
const languages = () => values.languages?.split(",").map((l) => l.trim());

function describe(m: MunicipalityView, counts?: { events: number; places: number; occurrences: number }) {
  const parts = [
    `${m.slug}\t${m.name.fi ?? ""}`,
    `languages ${m.languages.join(",")} (default ${m.default_locale})`,
    `hosts ${m.hosts.length ? m.hosts.join(",") : "-"}`,
    `public_url ${m.public_url ?? "-"}`,
  ];
  if (counts) parts.push(`${counts.events} events, ${counts.places} places`);
  return parts.join("\t");
}

const [command, ...args] = positionals;
if (!command || !["list", "create", "update", "grant-admin"].includes(command)) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel === "debug" ? "debug" : "warn", (line) =>
  process.stderr.write(`${line}\n`),
);
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, max: 1 });
// Mail is only queued here (the outbox table); the running server sends it.
const outbox = createOutbox(
  logMailer(logger),
  logger,
  createRenderer({ publicUrl: config.publicUrl, siteName: config.siteName }),
);
const ctx = { db: database.db, config, clock: systemClock, logger, outbox };
const out = (line: string) => process.stdout.write(`${line}\n`);

try {
  await migrateDatabase(database, config.databaseUrl);
  if (command === "list") {
    const all = await allMunicipalities(ctx);
    if (values.json) out(JSON.stringify(all, null, 2));
    else for (const m of all) out(describe(m, await municipalityCounts(ctx, m.id)));
  } else if (command === "create") {
    const body = parse(CreateMunicipalityBody.omit({ first_admin_email: true }), {
      slug: values.slug,
      name: name(),
      ...(languages() ? { languages: languages() } : {}),
      ...(values["default-locale"] ? { default_locale: values["default-locale"] } : {}),
      ...(values.host ? { hosts: values.host } : {}),
      ...(values["public-url"] ? { public_url: values["public-url"] } : {}),
      ...(values.lat !== undefined ? { lat: num(values.lat) } : {}),
      ...(values.lon !== undefined ? { lon: num(values.lon) } : {}),
    });
    const created = await insertMunicipality(ctx, body);
    out(`created ${describe(created)}`);
    if (values["admin-email"]) {
      await inviteStaffIn(ctx, null, created, { email: values["admin-email"], role: "admin" });
      out(`invited ${values["admin-email"]} as its admin (the server mails the link)`);
    }
  } else if (command === "update") {
    const slug = args[0];
    if (!slug) throw new UsageError("update needs the municipality's slug");
    const current = await municipalityBySlug(ctx, slug);
    const remove = new Set((values["remove-host"] ?? []).map((h) => h.toLowerCase()));
    const hostsChanged = values["add-host"] !== undefined || values["remove-host"] !== undefined;
    const hosts = [...current.hosts.filter((h) => !remove.has(h)), ...(values["add-host"] ?? [])];
    const patch = parse(UpdateMunicipalityBody, {
      updated_at: current.updated_at,
      ...(values.slug !== undefined ? { slug: values.slug } : {}),
      ...(name() ? { name: { ...current.name, ...name() } } : {}),
      ...(languages() ? { languages: languages() } : {}),
      ...(values["default-locale"] ? { default_locale: values["default-locale"] } : {}),
      ...(hostsChanged ? { hosts } : {}),
      ...(values["public-url"] !== undefined ? { public_url: values["public-url"] || null } : {}),
      ...(values.lat !== undefined ? { lat: num(values.lat) } : {}),
      ...(values.lon !== undefined ? { lon: num(values.lon) } : {}),
    });
    const updated = await updateMunicipality(ctx, "operator", current.id, patch);
    out(`updated ${describe(updated, await municipalityCounts(ctx, updated.id))}`);
  } else {
    const [slug, email] = args;
    if (!slug || !email) throw new UsageError("grant-admin needs a slug and an email address");
    const role = (values.role ?? "admin") as MunicipalityRole;
    if (!MUNICIPALITY_ROLES.includes(role)) throw new UsageError("--role must be admin or moderator");
    const m = await municipalityBySlug(ctx, slug);
    if ((await grantStaff(ctx, m.id, email, role)) === "granted") {
      out(`${email} is now ${role} of ${m.slug}`);
    } else {
      await inviteStaffIn(ctx, null, m, { email, role });
      out(`${email} has no account: invited as ${role} of ${m.slug} (the server mails the link)`);
    }
  }
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (err instanceof ValidationError || err instanceof DomainError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  } else {
    throw err;
  }
} finally {
  await database.close();
}
