/**
 * Categories administration (/api/v1/admin/municipalities/{id}/categories): the region's shared
 * list (region admins) and each municipality's local additions (its admins). Residents read the merged
 * list through GET /api/v1/categories.
 */
import { z } from "zod";
import { texts } from "./event-input.ts";
import { Id, listOf, StoredTexts } from "./organiser.ts";

export const CategorySlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,60}$/, "lower-case letters, digits and dashes (2–61)");

const MunicipalityId = z.uuid().meta({ param: { name: "id", in: "path" } });
export const MunicipalityIdParams = z.object({ id: MunicipalityId });
export const CategorySlugParams = z.object({
  id: MunicipalityId,
  slug: CategorySlug.meta({ param: { name: "slug", in: "path" }, example: "musiikki" }),
});

const CategoryNames = texts(100).refine((t) => Boolean(t.fi?.length), {
  message: "a Finnish name is required",
  path: ["fi"],
});
const YsoId = z
  .string()
  .regex(/^p\d{1,7}$/, "a YSO concept id such as p916")
  .meta({ description: "YSO ontology concept (finto.fi)" });

export const CreateCategoryBody = z
  .object({
    slug: CategorySlug,
    name: CategoryNames,
    yso_id: YsoId.nullable().optional(),
    sort_order: z.number().int().min(0).max(10_000).optional(),
    shared: z.boolean().default(false).meta({
      description: "true: on the region's shared list (region admins); false: this municipality's own",
    }),
  })
  .strict();
export type CreateCategoryBody = z.infer<typeof CreateCategoryBody>;

export const CategoryPatchBody = z
  .object({
    version: z.number().int().min(1),
    name: CategoryNames.optional(),
    yso_id: YsoId.nullable().optional(),
    sort_order: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type CategoryPatchBody = z.infer<typeof CategoryPatchBody>;

export const CategoryDeleteBody = z.object({ version: z.number().int().min(1) }).strict();

export const AdminCategory = z
  .object({
    id: Id,
    slug: z.string(),
    name: StoredTexts,
    yso_id: z.string().nullable(),
    sort_order: z.number().int(),
    shared: z.boolean().meta({ description: "On the region's shared list" }),
    version: z.number().int().min(1),
    events: z.number().int().meta({ description: "This municipality's events in the category (any state)" }),
  })
  .meta({ id: "AdminCategory" });
export type AdminCategory = z.infer<typeof AdminCategory>;
export const AdminCategoryList = listOf(AdminCategory).meta({ id: "AdminCategoryList" });
