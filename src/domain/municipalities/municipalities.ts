/**
 * The write side of the municipalities (tenants, ADR 0006): a region admin lists and creates
 * them (with a staff invitation to the first admin); a region admin or the municipality's own
 * admin edits one (names, languages, look, public URL, hosts, centre, neighbours). Every
 * command is one transaction; an edit carries the `updated_at` it read, and a stale one is a
 * 409. After a change the caller re-reads the tenant directory (src/http/tenant.ts).
 */
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Locale, LocalizedText } from "../../contract/codes.ts";
import { contrastWithWhite, MIN_CONTRAST_WITH_WHITE } from "../../contract/colour.ts";
import { slugProblem } from "../../contract/municipality-slugs.ts";
import { queryRows } from "../../db/client.ts";
import {
  type MunicipalityTheme,
  municipalities,
  municipalityHosts,
  municipalityNeighbours,
} from "../../db/schema.ts";
import {
  type Actor,
  isMunicipalityAdminOf,
  isRegionAdmin,
  requireAdmin,
  requireMunicipalityAdmin,
  requireUser,
} from "../accounts/access.ts";
import { type RegionCtx, withTransaction } from "../context.ts";
import { Conflict, Forbidden, NotFound, ValidationError } from "../errors.ts";
import { inviteStaffIn, type StaffInvitationView } from "./staff.ts";

type Row = typeof municipalities.$inferSelect;

export interface MunicipalityView {
  id: string;
  slug: string;
  name: LocalizedText;
  languages: Locale[];
  default_locale: Locale;
  theme: MunicipalityTheme;
  public_url: string | null;
  hosts: string[];
  lat: number | null;
  lon: number | null;
  neighbour_radius_km: number | null;
  neighbours: string[];
  created_at: string;
  updated_at: string;
}

export interface MunicipalityInput {
  slug: string;
  name: LocalizedText & { fi: string };
  languages?: Locale[] | undefined;
  default_locale?: Locale | undefined;
  lat?: number | null | undefined;
  lon?: number | null | undefined;
  hosts?: string[] | undefined;
  public_url?: string | null | undefined;
}

export interface MunicipalityPatch {
  updated_at: string;
  slug?: string | undefined;
  name?: (LocalizedText & { fi: string }) | undefined;
  languages?: Locale[] | undefined;
  default_locale?: Locale | undefined;
  theme?: MunicipalityTheme | undefined;
  public_url?: string | null | undefined;
  hosts?: string[] | undefined;
  lat?: number | null | undefined;
  lon?: number | null | undefined;
  neighbour_radius_km?: number | null | undefined;
  neighbours?: string[] | undefined;
}

/** The hosts and chosen neighbours of some municipalities, by municipality id. */
async function extrasOf(ctx: RegionCtx, ids: string[]) {
  const hosts = new Map<string, string[]>(ids.map((id) => [id, []]));
  const neighbours = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return { hosts, neighbours };
  const h = await ctx.db
    .select()
    .from(municipalityHosts)
    .where(inArray(municipalityHosts.municipalityId, ids))
    .orderBy(asc(municipalityHosts.host));
  for (const r of h) hosts.get(r.municipalityId)?.push(r.host);
  const n = await ctx.db
    .select()
    .from(municipalityNeighbours)
    .where(inArray(municipalityNeighbours.municipalityId, ids))
    .orderBy(asc(municipalityNeighbours.neighbourId));
  for (const r of n) neighbours.get(r.municipalityId)?.push(r.neighbourId);
  return { hosts, neighbours };
}

const view = (r: Row, hosts: string[], neighbours: string[]): MunicipalityView => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  languages: r.languages as Locale[],
  default_locale: r.defaultLocale as Locale,
  theme: r.theme ?? {},
  public_url: r.publicUrl,
  hosts,
  lat: r.lat,
  lon: r.lon,
  neighbour_radius_km: r.neighbourRadiusKm,
  neighbours,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

async function views(ctx: RegionCtx, rows: Row[]): Promise<MunicipalityView[]> {
  const { hosts, neighbours } = await extrasOf(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => view(r, hosts.get(r.id) ?? [], neighbours.get(r.id) ?? []));
}

/** Every municipality for a region admin; for a municipality admin, those they administer. */
export async function listMunicipalities(ctx: RegionCtx, actor: Actor): Promise<MunicipalityView[]> {
  const user = requireUser(actor);
  if (!isRegionAdmin(user) && ![...user.staff.values()].includes("admin")) {
    throw new Forbidden("Only administrators can do this");
  }
  const rows = await ctx.db.select().from(municipalities).orderBy(asc(municipalities.slug));
  return views(
    ctx,
    rows.filter((r) => isMunicipalityAdminOf(user, r.id)),
  );
}

/** Every municipality, for operators (the CLI): no actor. */
export async function allMunicipalities(ctx: RegionCtx): Promise<MunicipalityView[]> {
  const rows = await ctx.db.select().from(municipalities).orderBy(asc(municipalities.slug));
  return views(ctx, rows);
}

async function loadRow(ctx: RegionCtx, id: string, lock = false): Promise<Row> {
  const q = ctx.db.select().from(municipalities).where(eq(municipalities.id, id));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw new NotFound("Municipality", id);
  return row;
}

export async function getMunicipality(ctx: RegionCtx, actor: Actor, id: string): Promise<MunicipalityView> {
  requireMunicipalityAdmin(actor, id);
  const [v] = await views(ctx, [await loadRow(ctx, id)]);
  return v!;
}

/** The municipality with this slug (the CLI names municipalities by slug). */
export async function municipalityBySlug(ctx: RegionCtx, slug: string): Promise<MunicipalityView> {
  const [row] = await ctx.db.select().from(municipalities).where(eq(municipalities.slug, slug));
  if (!row) throw new NotFound("Municipality", slug);
  const [v] = await views(ctx, [row]);
  return v!;
}

const unprocessable = (path: string, message: string) =>
  new ValidationError([{ path, message, code: "custom" }], `${path}: ${message}`, true);

function checkSlug(slug: string) {
  const problem = slugProblem(slug);
  if (problem) throw unprocessable("slug", problem);
}

function checkLanguages(languages: readonly string[], defaultLocale: string) {
  if (!languages.includes(defaultLocale)) {
    throw unprocessable("default_locale", "must be one of the site's languages");
  }
}

/** A primary colour carries white text: refused below 4.5:1 (WCAG 2.1 AA). */
function checkTheme(theme: MunicipalityTheme | undefined) {
  const primary = theme?.colours?.primary;
  if (!primary) return;
  const ratio = contrastWithWhite(primary);
  if (ratio < MIN_CONTRAST_WITH_WHITE) {
    throw unprocessable(
      "theme.colours.primary",
      `white text on ${primary} has contrast ${ratio}:1; it must be at least ${MIN_CONTRAST_WITH_WHITE}:1 (choose a darker colour)`,
    );
  }
}

async function checkSlugFree(ctx: RegionCtx, slug: string, except?: string) {
  const [clash] = await ctx.db
    .select({ id: municipalities.id })
    .from(municipalities)
    .where(
      except
        ? and(eq(municipalities.slug, slug), ne(municipalities.id, except))
        : eq(municipalities.slug, slug),
    );
  if (clash) throw new Conflict(`The slug ${slug} is taken`, { field: "slug", slug });
}

/** Replaces the municipality's hosts; a host another municipality has is a 409 naming it. */
async function setHosts(ctx: RegionCtx, municipalityId: string, hosts: string[]) {
  const wanted = [...new Set(hosts.map((h) => h.toLowerCase()))];
  if (wanted.length > 0) {
    const [taken] = await ctx.db
      .select()
      .from(municipalityHosts)
      .where(
        and(inArray(municipalityHosts.host, wanted), ne(municipalityHosts.municipalityId, municipalityId)),
      );
    if (taken) {
      throw new Conflict(`The host ${taken.host} already serves another municipality`, {
        field: "hosts",
        host: taken.host,
      });
    }
  }
  await ctx.db.delete(municipalityHosts).where(eq(municipalityHosts.municipalityId, municipalityId));
  if (wanted.length > 0) {
    await ctx.db.insert(municipalityHosts).values(wanted.map((host) => ({ host, municipalityId })));
  }
}

async function setNeighbours(ctx: RegionCtx, municipalityId: string, neighbours: string[]) {
  const wanted = [...new Set(neighbours)];
  if (wanted.includes(municipalityId))
    throw unprocessable("neighbours", "must not include the municipality itself");
  if (wanted.length > 0) {
    const found = await ctx.db
      .select({ id: municipalities.id })
      .from(municipalities)
      .where(inArray(municipalities.id, wanted));
    const known = new Set(found.map((r) => r.id));
    const unknown = wanted.find((id) => !known.has(id));
    if (unknown) throw unprocessable("neighbours", `no municipality has the id ${unknown}`);
  }
  await ctx.db
    .delete(municipalityNeighbours)
    .where(eq(municipalityNeighbours.municipalityId, municipalityId));
  if (wanted.length > 0) {
    await ctx.db
      .insert(municipalityNeighbours)
      .values(wanted.map((neighbourId) => ({ municipalityId, neighbourId, createdAt: ctx.clock.now() })));
  }
}

/**
 * Creates a municipality (operators: no actor, no invitation needed). Slug, languages and
 * hosts are checked; one transaction.
 */
export async function insertMunicipality(
  ctx: RegionCtx,
  input: MunicipalityInput,
): Promise<MunicipalityView> {
  const languages = input.languages ?? ["fi"];
  const defaultLocale = input.default_locale ?? languages[0] ?? "fi";
  checkSlug(input.slug);
  checkLanguages(languages, defaultLocale);
  return withTransaction(ctx, async (tx) => {
    await checkSlugFree(tx, input.slug);
    const now = tx.clock.now();
    const [row] = await tx.db
      .insert(municipalities)
      .values({
        slug: input.slug,
        name: input.name,
        languages,
        defaultLocale,
        lat: input.lat ?? null,
        lon: input.lon ?? null,
        publicUrl: input.public_url ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await setHosts(tx, row!.id, input.hosts ?? []);
    const [v] = await views(tx, [row!]);
    return v!;
  });
}

/**
 * A region admin creates a municipality and invites its first admin (the invitation mail
 * goes through the outbox in the same transaction).
 */
export async function createMunicipality(
  ctx: RegionCtx,
  actor: Actor,
  input: MunicipalityInput & { first_admin_email: string },
): Promise<MunicipalityView & { invitation: StaffInvitationView }> {
  const admin = requireAdmin(actor);
  return withTransaction(ctx, async (tx) => {
    const created = await insertMunicipality(tx, input);
    const invitation = await inviteStaffIn(tx, admin, created, {
      email: input.first_admin_email,
      role: "admin",
      locale: created.default_locale,
    });
    return { ...created, invitation };
  });
}

/**
 * Edits a municipality: the region admin, or its own admin (who cannot change the slug: it is
 * the site's address in the region). `updated_at` must be the one the editor read (409).
 */
export async function updateMunicipality(
  ctx: RegionCtx,
  actor: Actor | "operator",
  id: string,
  patch: MunicipalityPatch,
): Promise<MunicipalityView> {
  if (actor !== "operator") {
    requireMunicipalityAdmin(actor, id);
    if (patch.slug !== undefined && !isRegionAdmin(actor)) {
      throw unprocessable("slug", "only a region admin can change a municipality's slug");
    }
  }
  if (patch.slug !== undefined) checkSlug(patch.slug);
  checkTheme(patch.theme);
  return withTransaction(ctx, async (tx) => {
    const row = await loadRow(tx, id, true);
    if (row.updatedAt.getTime() !== new Date(patch.updated_at).getTime()) {
      throw new Conflict("The municipality was changed by someone else: reload and edit again", {
        field: "updated_at",
        current: row.updatedAt.toISOString(),
      });
    }
    const languages = patch.languages ?? (row.languages as Locale[]);
    const defaultLocale = patch.default_locale ?? row.defaultLocale;
    checkLanguages(languages, defaultLocale);
    if (patch.slug !== undefined && patch.slug !== row.slug) await checkSlugFree(tx, patch.slug, id);
    // Every edit moves updated_at forward, even within one millisecond of the last.
    const now = new Date(Math.max(tx.clock.now().getTime(), row.updatedAt.getTime() + 1));
    const theme = patch.theme === undefined ? undefined : mergeTheme(row.theme ?? {}, patch.theme);
    const [updated] = await tx.db
      .update(municipalities)
      .set({
        ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        languages,
        defaultLocale,
        ...(theme !== undefined ? { theme } : {}),
        ...(patch.public_url !== undefined ? { publicUrl: patch.public_url } : {}),
        ...(patch.lat !== undefined ? { lat: patch.lat } : {}),
        ...(patch.lon !== undefined ? { lon: patch.lon } : {}),
        ...(patch.neighbour_radius_km !== undefined ? { neighbourRadiusKm: patch.neighbour_radius_km } : {}),
        updatedAt: now,
      })
      .where(eq(municipalities.id, id))
      .returning();
    if (patch.hosts !== undefined) await setHosts(tx, id, patch.hosts);
    if (patch.neighbours !== undefined) await setNeighbours(tx, id, patch.neighbours);
    // Its name, URL and look are in the answers that show its events (its own site's and its
    // neighbours'): the update moves its data version (a trigger, migration 0015).
    const [v] = await views(tx, [updated!]);
    return v!;
  });
}

/** A theme patch replaces the fields it names; `null` clears the logo. */
function mergeTheme(current: MunicipalityTheme, patch: MunicipalityTheme): MunicipalityTheme {
  const out: MunicipalityTheme = { ...current };
  if (patch.logo_url !== undefined) out.logo_url = patch.logo_url;
  if (patch.colours !== undefined) out.colours = { ...(current.colours ?? {}), ...patch.colours };
  return out;
}

/** Row counts of the municipality's data (the CLI prints them; nothing is lost on a rename). */
export async function municipalityCounts(ctx: RegionCtx, id: string) {
  const [row] = await queryRows<{ events: number; places: number; occurrences: number }>(
    ctx.db,
    sql`select (select count(*) from events where municipality_id = ${id}::uuid)::int as events,
               (select count(*) from places where municipality_id = ${id}::uuid)::int as places,
               (select count(*) from occurrences where municipality_id = ${id}::uuid)::int as occurrences`,
  );
  return row;
}
