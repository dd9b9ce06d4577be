/**
 * The platform administration contract (/api/v1/admin/*, admins only): organisations and
 * users. Bodies, query strings and a schema for every success answer.
 */
import { z } from "zod";
import { ORGANISATION_KINDS, USER_ROLES } from "../codes.ts";
import { Id, Instant, listOf, OrgDetails, Paging } from "./organiser.ts";

export const CreateOrganisationBody = OrgDetails.extend({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/, "lower-case letters, digits and dashes"),
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ORGANISATION_KINDS),
  trusted: z.boolean().optional(),
}).strict();
export type CreateOrganisationBody = z.infer<typeof CreateOrganisationBody>;

export const UsersQuery = Paging;

export const UserPatchBody = z
  .object({
    role: z.enum(USER_ROLES).optional(),
    display_name: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type UserPatchBody = z.infer<typeof UserPatchBody>;

export const AdminUser = z
  .object({
    id: Id,
    email: z.string(),
    display_name: z.string(),
    role: z.enum(USER_ROLES),
    locale: z.string(),
    email_verified: z.boolean(),
    created_at: Instant,
  })
  .meta({ id: "AdminUser" });
export const AdminUserList = listOf(AdminUser).meta({ id: "AdminUserList" });

export const UpdatedUser = z
  .object({ id: Id, email: z.string(), display_name: z.string(), role: z.enum(USER_ROLES) })
  .meta({ id: "UpdatedUser" });
