/**
 * Categories administration: the region's shared list (region admins) and a municipality's
 * own additions (its admins), on the municipality's site (ctx.tenant).
 */
import {
  AdminCategory,
  AdminCategoryList,
  CategoryDeleteBody,
  CategoryPatchBody,
  CategorySlugParams,
  CreateCategoryBody,
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
    "/admin/categories",
    {
      operationId: "listAdminCategories",
      auth: true,
      security: session,
      summary: "Categories: the shared list and this municipality's own (its admins)",
      response: AdminCategoryList,
    },
    async (c) => c.json({ data: await listAdminCategories(c.get("ctx"), c.get("actor")) }, 200),
  );

  add(
    "post",
    "/admin/categories",
    {
      operationId: "createCategory",
      auth: true,
      security: session,
      summary: "Add a category: this municipality's own (its admins), or shared (region admins)",
      status: 201,
      body: CreateCategoryBody,
      response: AdminCategory,
      problems: [409],
    },
    async (c, b) => c.json(await createCategory(c.get("ctx"), c.get("actor"), b), 201),
  );

  add(
    "patch",
    "/admin/categories/:slug",
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
      c.json(await updateCategory(c.get("ctx"), c.get("actor"), params.slug, b), 200),
  );

  add(
    "delete",
    "/admin/categories/:slug",
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
      await deleteCategory(c.get("ctx"), c.get("actor"), params.slug, b.version);
      return c.body(null, 204);
    },
  );

  return app;
}
