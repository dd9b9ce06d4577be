/**
 * Categories administration: the region's shared list (region admins) and a municipality's
 * own additions (its admins), by the municipality's id like its staff.
 */
import {
  AdminCategory,
  AdminCategoryList,
  CategoryDeleteBody,
  CategoryPatchBody,
  CategorySlugParams,
  CreateCategoryBody,
  MunicipalityIdParams,
} from "../../contract/api/categories.ts";
import {
  createCategory,
  deleteCategory,
  listAdminCategories,
  updateCategory,
} from "../../domain/categories/categories.ts";
import type { SecurityName } from "../openapi.ts";
import { jsonRoutes } from "../route-kit.ts";

export function categoryAdminRoutes() {
  const { app, add } = jsonRoutes("Administration");
  const session: SecurityName[] = ["cookieAuth"];

  add(
    "get",
    "/admin/municipalities/:id/categories",
    {
      operationId: "listAdminCategories",
      auth: true,
      security: session,
      summary: "Categories: the shared list and this municipality's own (its admins)",
      params: MunicipalityIdParams,
      response: AdminCategoryList,
      problems: [404],
    },
    async (c, _b, { params }) =>
      c.json({ data: await listAdminCategories(c.get("ctx"), c.get("actor"), params.id) }, 200),
  );

  add(
    "post",
    "/admin/municipalities/:id/categories",
    {
      operationId: "createCategory",
      auth: true,
      security: session,
      summary: "Add a category: this municipality's own (its admins), or shared (region admins)",
      status: 201,
      params: MunicipalityIdParams,
      body: CreateCategoryBody,
      response: AdminCategory,
      problems: [404, 409],
    },
    async (c, b, { params }) => c.json(await createCategory(c.get("ctx"), c.get("actor"), params.id, b), 201),
  );

  add(
    "patch",
    "/admin/municipalities/:id/categories/:slug",
    {
      operationId: "updateCategory",
      auth: true,
      security: session,
      summary: "Rename or reorder a category (with the version read)",
      params: CategorySlugParams,
      body: CategoryPatchBody,
      response: AdminCategory,
      problems: [404, 409],
    },
    async (c, b, { params }) =>
      c.json(await updateCategory(c.get("ctx"), c.get("actor"), params.id, params.slug, b), 200),
  );

  add(
    "delete",
    "/admin/municipalities/:id/categories/:slug",
    {
      operationId: "deleteCategory",
      auth: true,
      security: session,
      summary: "Delete a category that no event uses (with the version read)",
      status: 204,
      params: CategorySlugParams,
      body: CategoryDeleteBody,
      problems: [404, 409],
    },
    async (c, b, { params }) => {
      await deleteCategory(c.get("ctx"), c.get("actor"), params.id, params.slug, b.version);
      return c.body(null, 204);
    },
  );

  return app;
}
