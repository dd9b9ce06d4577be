/**
 * Municipality administration (ADR 0006): region admins list and create municipalities; a
 * region admin or the municipality's own admin edits one and manages its staff; an invitee
 * accepts a staff invitation. After a change the tenant directory is re-read: this instance
 * at once (the cache is invalidated), other instances within TENANT_TTL_MS.
 */
import type { Context } from "hono";
import {
  CreateMunicipalityBody,
  Municipality,
  MunicipalityCreated,
  MunicipalityList,
  MunicipalityStaffParams,
  StaffInvitation,
  StaffInvitationAccepted,
  StaffInvitationLookup,
  StaffInvitationParams,
  StaffInviteBody,
  StaffList,
  StaffRoleBody,
  StaffRoleChanged,
  UpdateMunicipalityBody,
} from "../../contract/api/admin.ts";
import {
  AcceptInvitationNewBody,
  IdParams,
  InvitationTokenBody,
  JoinedWithNewAccount,
} from "../../contract/api/organiser.ts";
import { requireAdmin, requireMunicipalityAdmin } from "../../domain/accounts/access.ts";
import {
  createMunicipality,
  getMunicipality,
  listMunicipalities,
  updateMunicipality,
} from "../../domain/municipalities/municipalities.ts";
import {
  acceptStaffInvitation,
  acceptStaffInvitationWithNewAccount,
  describeStaffInvitation,
  inviteStaff,
  listStaff,
  removeStaff,
  revokeStaffInvitation,
  setStaffRole,
} from "../../domain/municipalities/staff.ts";
import { RATE_RULES } from "../../domain/rate-limit.ts";
import type { SecurityName } from "../openapi.ts";
import { jsonRoutes } from "../route-kit.ts";
import type { AppEnv } from "../types.ts";

/** This instance re-reads the municipalities on its next request. */
const reloadTenants = (c: Context<AppEnv>) => c.get("tenantCache")?.invalidate();

export function municipalityAdminRoutes() {
  const { app, add } = jsonRoutes("Administration");
  const session: SecurityName[] = ["cookieAuth"];

  add(
    "get",
    "/admin/municipalities",
    {
      operationId: "listAdminMunicipalities",
      auth: true,
      security: session,
      summary: "Municipalities: all of them for region admins, their own for municipality admins",
      response: MunicipalityList,
    },
    async (c) => c.json({ data: await listMunicipalities(c.get("ctx"), c.get("actor")) }, 200),
  );

  add(
    "post",
    "/admin/municipalities",
    {
      operationId: "createMunicipality",
      auth: true,
      security: session,
      summary: "Create a municipality and invite its first admin (region admins)",
      description:
        "One transaction: the municipality, its hosts and a staff invitation (role admin) mailed to first_admin_email. The slug is the site's path prefix: reserved paths (api, feeds, pages…) are refused (400); a taken slug or host is a 409 naming it.",
      status: 201,
      body: CreateMunicipalityBody,
      response: MunicipalityCreated,
      problems: [409, 422],
    },
    async (c, b) => {
      const ctx = c.get("ctx");
      const admin = requireAdmin(c.get("actor"));
      await c.get("limiter").hit(RATE_RULES.invitationPerUser, admin.userId, ctx.clock.now());
      const created = await createMunicipality(ctx, admin, b);
      reloadTenants(c);
      return c.json(created, 201);
    },
  );

  add(
    "get",
    "/admin/municipalities/:id",
    {
      operationId: "getMunicipality",
      auth: true,
      security: session,
      summary: "One municipality (region admins, its own admins)",
      params: IdParams,
      response: Municipality,
      problems: [404],
    },
    async (c, _b, { params }) => c.json(await getMunicipality(c.get("ctx"), c.get("actor"), params.id), 200),
  );

  add(
    "patch",
    "/admin/municipalities/:id",
    {
      operationId: "updateMunicipality",
      auth: true,
      security: session,
      summary: "Edit a municipality's site (region admins, its own admins)",
      description:
        "Send the updated_at you read: a stale one is a 409. hosts and neighbours replace the lists. A primary colour with less than 4.5:1 contrast against white text is a 422 naming theme.colours.primary; a host of another municipality is a 409 naming it. Only region admins change the slug.",
      params: IdParams,
      body: UpdateMunicipalityBody,
      response: Municipality,
      problems: [404, 409, 422],
    },
    async (c, b, { params }) => {
      const updated = await updateMunicipality(c.get("ctx"), c.get("actor"), params.id, b);
      reloadTenants(c);
      return c.json(updated, 200);
    },
  );

  add(
    "get",
    "/admin/municipalities/:id/staff",
    {
      operationId: "listMunicipalityStaff",
      auth: true,
      security: session,
      summary: "The municipality's staff and pending invitations (region admins, its own admins)",
      params: IdParams,
      response: StaffList,
      problems: [404],
    },
    async (c, _b, { params }) => c.json(await listStaff(c.get("ctx"), c.get("actor"), params.id), 200),
  );

  add(
    "post",
    "/admin/municipalities/:id/staff/invitations",
    {
      operationId: "inviteMunicipalityStaff",
      auth: true,
      security: session,
      summary: "Invite a moderator or admin by email (region admins, its own admins)",
      description:
        "Nobody gets a role until the invitee accepts through the emailed link (7 days, single use), signed in with that address or by creating its account. 409 when the address is already on the staff. Rate-limited per inviting user (429).",
      status: 201,
      params: IdParams,
      body: StaffInviteBody,
      response: StaffInvitation,
      problems: [404, 409],
    },
    async (c, b, { params }) => {
      const ctx = c.get("ctx");
      const admin = requireMunicipalityAdmin(c.get("actor"), params.id);
      await c.get("limiter").hit(RATE_RULES.invitationPerUser, admin.userId, ctx.clock.now());
      return c.json(await inviteStaff(ctx, admin, params.id, b), 201);
    },
  );

  add(
    "delete",
    "/admin/municipalities/:id/staff/invitations/:invitationId",
    {
      operationId: "revokeMunicipalityStaffInvitation",
      auth: true,
      security: session,
      summary: "Revoke a pending staff invitation (region admins, its own admins)",
      status: 204,
      params: StaffInvitationParams,
      problems: [404],
    },
    async (c, _b, { params }) => {
      await revokeStaffInvitation(c.get("ctx"), c.get("actor"), params.id, params.invitationId);
      return c.body(null, 204);
    },
  );

  add(
    "patch",
    "/admin/municipalities/:id/staff/:userId",
    {
      operationId: "setMunicipalityStaffRole",
      auth: true,
      security: session,
      summary: "Change a staff member's role (region admins, its own admins)",
      description: "A municipality keeps at least one admin unless a region admin makes the change (409).",
      params: MunicipalityStaffParams,
      body: StaffRoleBody,
      response: StaffRoleChanged,
      problems: [404, 409],
    },
    async (c, b, { params }) =>
      c.json(await setStaffRole(c.get("ctx"), c.get("actor"), params.id, params.userId, b.role), 200),
  );

  add(
    "delete",
    "/admin/municipalities/:id/staff/:userId",
    {
      operationId: "removeMunicipalityStaff",
      auth: true,
      security: session,
      summary: "Remove someone from the municipality's staff (region admins, its own admins)",
      status: 204,
      params: MunicipalityStaffParams,
      problems: [404, 409],
    },
    async (c, _b, { params }) => {
      await removeStaff(c.get("ctx"), c.get("actor"), params.id, params.userId);
      return c.body(null, 204);
    },
  );

  add(
    "post",
    "/staff-invitations/lookup",
    {
      operationId: "lookupStaffInvitation",
      summary:
        "What an emailed staff invitation is for (municipality, role, address, whether it has an account)",
      body: InvitationTokenBody,
      response: StaffInvitationLookup,
    },
    async (c, b) => c.json(await describeStaffInvitation(c.get("ctx"), c.get("actor"), b.token), 200),
  );

  add(
    "post",
    "/staff-invitations/accept",
    {
      operationId: "acceptStaffInvitation",
      auth: true,
      security: session,
      summary: "Accept a staff invitation as the signed-in account of the invited address",
      body: InvitationTokenBody,
      response: StaffInvitationAccepted,
      problems: [409],
    },
    async (c, b) => c.json(await acceptStaffInvitation(c.get("ctx"), c.get("actor"), b.token), 200),
  );

  add(
    "post",
    "/staff-invitations/accept-new",
    {
      operationId: "acceptStaffInvitationWithNewAccount",
      summary:
        "Accept a staff invitation by creating an account (name and password); answers with the address, to sign in with",
      body: AcceptInvitationNewBody,
      response: JoinedWithNewAccount,
      problems: [409, 503],
    },
    async (c, b) => {
      const { email } = await acceptStaffInvitationWithNewAccount(c.get("ctx"), b);
      return c.json({ status: "joined", email }, 200);
    },
  );

  return app;
}
