/**
 * Categories administration (#21): the region's shared list belongs to the region admins; each
 * municipality adds its own local categories (its admins), addressed by the municipality's id
 * like its staff (/api/v1/admin/municipalities/{id}/categories), so a region admin manages any
 * municipality's from one page. A local slug never shadows a shared
 * one, so "musiikki" means the same everywhere; two municipalities may each have a local
 * "pesapallo". Residents read shared + visible local categories (src/domain/places/reference.ts).
 * Every edit carries the version it read (a stale one is a 409), and a category still used by
 * events cannot be deleted (409 with the count).
 */
import { sql } from "drizzle-orm";
import type { AdminCategory, CategoryPatchBody, CreateCategoryBody } from "../../contract/api/categories.ts";
import type { LocalizedText } from "../../contract/codes.ts";
import { queryRows } from "../../db/client.ts";
import { type Actor, requireAdmin, requireMunicipalityAdmin, type UserActor } from "../accounts/access.ts";
import { type RegionCtx, withTransaction } from "../context.ts";
import { Conflict, NotFound } from "../errors.ts";

interface Row {
  id: string;
  slug: string;
  name: LocalizedText;
  yso_id: string | null;
  sort_order: number;
  municipality_id: string | null;
  version: number;
  events: number;
}

/** Who may manage categories: the region's shared list its admins, local ones also the municipality's. */
export function requireCategoryAdmin(actor: Actor, municipalityId: string, shared: boolean): UserActor {
  return shared ? requireAdmin(actor) : requireMunicipalityAdmin(actor, municipalityId);
}

async function requireMunicipality(ctx: RegionCtx, id: string): Promise<void> {
  const [m] = await queryRows<{ id: string }>(
    ctx.db,
    sql`select id from municipalities where id = ${id}::uuid`,
  );
  if (!m) throw new NotFound("municipality", id);
}

const toAdmin = (r: Row): AdminCategory => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  yso_id: r.yso_id,
  sort_order: r.sort_order,
  shared: r.municipality_id === null,
  version: r.version,
  events: r.events,
});

async function rows(ctx: RegionCtx, municipalityId: string, slug?: string): Promise<Row[]> {
  return queryRows<Row>(
    ctx.db,
    sql`select c.id, c.slug, c.name, c.yso_id, c.sort_order, c.municipality_id, c.version,
               (select count(*)::int from event_categories ec join events e on e.id = ec.event_id
                 where ec.category_id = c.id and e.municipality_id = ${municipalityId}::uuid and e.deleted_at is null) as events
        from categories c
        where (c.municipality_id is null or c.municipality_id = ${municipalityId}::uuid)
          ${slug === undefined ? sql`` : sql`and c.slug = ${slug}`}
        order by c.municipality_id nulls first, c.sort_order, c.slug`,
  );
}

/** The shared list and this municipality's own categories, with how many of its events use each. */
export async function listAdminCategories(
  ctx: RegionCtx,
  actor: Actor,
  municipalityId: string,
): Promise<AdminCategory[]> {
  requireCategoryAdmin(actor, municipalityId, false);
  await requireMunicipality(ctx, municipalityId);
  return (await rows(ctx, municipalityId)).map(toAdmin);
}

export async function createCategory(
  ctx: RegionCtx,
  actor: Actor,
  municipalityId: string,
  input: CreateCategoryBody,
): Promise<AdminCategory> {
  requireCategoryAdmin(actor, municipalityId, input.shared);
  return withTransaction(ctx, async (tx) => {
    await requireMunicipality(tx, municipalityId);
    // A shared slug must be free everywhere; a local one among the shared and this municipality's.
    const [clash] = await queryRows<{ id: string }>(
      tx.db,
      sql`select id from categories where slug = ${input.slug}
          ${input.shared ? sql`` : sql`and (municipality_id is null or municipality_id = ${municipalityId}::uuid)`}
          limit 1`,
    );
    if (clash) throw new Conflict(`The category slug ${input.slug} is taken`, { field: "slug" });
    const [row] = await queryRows<{ slug: string }>(
      tx.db,
      sql`insert into categories (municipality_id, slug, name, yso_id, sort_order)
          values (${input.shared ? null : municipalityId}::uuid, ${input.slug}, ${JSON.stringify(input.name)}::jsonb,
                  ${input.yso_id ?? null}, ${input.sort_order ?? 0})
          on conflict do nothing
          returning slug`,
    );
    if (!row) throw new Conflict(`The category slug ${input.slug} is taken`, { field: "slug" });
    return toAdmin((await rows(tx, municipalityId, input.slug))[0] as Row);
  });
}

async function loadForEdit(
  ctx: RegionCtx,
  actor: Actor,
  municipalityId: string,
  slug: string,
  version: number,
): Promise<Row> {
  // Authorise before revealing whether the category exists.
  requireCategoryAdmin(actor, municipalityId, false);
  const [row] = await rows(ctx, municipalityId, slug);
  if (!row) throw new NotFound("category", slug);
  requireCategoryAdmin(actor, municipalityId, row.municipality_id === null);
  if (row.version !== version)
    throw new Conflict("The category was changed meanwhile: reload it", { current_version: row.version });
  return row;
}

export async function updateCategory(
  ctx: RegionCtx,
  actor: Actor,
  municipalityId: string,
  slug: string,
  patch: CategoryPatchBody,
): Promise<AdminCategory> {
  return withTransaction(ctx, async (tx) => {
    const row = await loadForEdit(tx, actor, municipalityId, slug, patch.version);
    const [updated] = await queryRows<{ id: string }>(
      tx.db,
      sql`update categories set
            name = ${JSON.stringify(patch.name ?? row.name)}::jsonb,
            yso_id = ${patch.yso_id === undefined ? row.yso_id : patch.yso_id},
            sort_order = ${patch.sort_order ?? row.sort_order},
            version = version + 1
          where id = ${row.id}::uuid and version = ${patch.version}
          returning id`,
    );
    if (!updated) throw new Conflict("The category was changed meanwhile: reload it");
    return toAdmin((await rows(tx, municipalityId, slug))[0] as Row);
  });
}

/** Deletes a category no event uses (in any municipality); otherwise a 409 with the count. */
export async function deleteCategory(
  ctx: RegionCtx,
  actor: Actor,
  municipalityId: string,
  slug: string,
  version: number,
): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const row = await loadForEdit(tx, actor, municipalityId, slug, version);
    const [used] = await queryRows<{ n: number }>(
      tx.db,
      sql`select count(*)::int as n from event_categories where category_id = ${row.id}::uuid`,
    );
    if ((used?.n ?? 0) > 0)
      throw new Conflict(`${used?.n} events use the category: move them to another one first`, {
        events: used?.n,
      });
    await tx.db.execute(sql`delete from categories where id = ${row.id}::uuid and version = ${version}`);
  });
}
