/**
 * Platform administration (admins, with their session): create and close organisations,
 * list users, change a user's role or name, close a user's account and erase their data.
 */
import {
  AdminUserList,
  CreateOrganisationBody,
  UpdatedUser,
  UserPatchBody,
  UsersQuery,
} from "../../contract/api/admin.ts";
import { IdParams, ManagedOrganisation } from "../../contract/api/organiser.ts";
import {
  createOrganisation,
  deleteOrganisation,
  listUsers,
  updateUser,
} from "../../domain/organisations/organisations.ts";
import { deleteAccount } from "../../domain/privacy/gdpr.ts";
import type { SecurityName } from "../openapi.ts";
import { jsonRoutes } from "../route-kit.ts";

export function adminRoutes() {
  const { app, add } = jsonRoutes("Administration");
  const session: SecurityName[] = ["cookieAuth"];

  add(
    "post",
    "/admin/organisations",
    {
      operationId: "createOrganisation",
      auth: true,
      security: session,
      summary: "Create an organisation (admins)",
      status: 201,
      body: CreateOrganisationBody,
      response: ManagedOrganisation,
      problems: [409],
    },
    async (c, b) => c.json(await createOrganisation(c.get("ctx"), c.get("actor"), b), 201),
  );

  add(
    "delete",
    "/admin/organisations/:id",
    {
      operationId: "closeOrganisation",
      auth: true,
      security: session,
      summary: "Close an organisation (admins)",
      description: "Its published events stay, under its name.",
      status: 204,
      params: IdParams,
      problems: [404],
    },
    async (c, _b, { params }) => {
      await deleteOrganisation(c.get("ctx"), c.get("actor"), params.id);
      return c.body(null, 204);
    },
  );

  add(
    "get",
    "/admin/users",
    {
      operationId: "listUsers",
      auth: true,
      security: session,
      summary: "Users (admins)",
      query: UsersQuery,
      response: AdminUserList,
    },
    async (c, _b, { query }) => c.json({ data: await listUsers(c.get("ctx"), c.get("actor"), query) }, 200),
  );

  add(
    "patch",
    "/admin/users/:id",
    {
      operationId: "updateUser",
      auth: true,
      security: session,
      summary: "Change a user's role or name (admins)",
      body: UserPatchBody,
      params: IdParams,
      response: UpdatedUser,
      problems: [404],
    },
    async (c, b, { params }) => c.json(await updateUser(c.get("ctx"), c.get("actor"), params.id, b), 200),
  );

  add(
    "delete",
    "/admin/users/:id",
    {
      operationId: "deleteUser",
      auth: true,
      security: session,
      summary: "Close a user's account and erase their data (admins)",
      status: 204,
      params: IdParams,
      problems: [404],
    },
    async (c, _b, { params }) => {
      await deleteAccount(c.get("ctx"), c.get("actor"), params.id);
      return c.body(null, 204);
    },
  );

  return app;
}
