/**
 * Organisation management (organisation admins: members, API tokens, details) and
 * platform administration (admins: organisations, users, roles).
 */
import type { Context } from "hono";
import { CreateOrganisationBody, UserPatchBody, UsersQuery } from "../../contract/api/admin.ts";
import {
  AcceptInvitationNewBody,
  ApiTokenBody,
  InvitationTokenBody,
  Invite,
  MemberRoleBody,
  OrgDetailsPatch,
} from "../../contract/api/organiser.ts";
import { requireOrgAdmin } from "../../domain/accounts/access.ts";
import {
  acceptInvitation,
  acceptInvitationWithNewAccount,
  describeInvitation,
  inviteMember,
  listInvitations,
  revokeInvitation,
} from "../../domain/organisations/invitations.ts";
import {
  createApiToken,
  createOrganisation,
  deleteOrganisation,
  listApiTokens,
  listMembers,
  listUsers,
  removeMember,
  revokeApiToken,
  setMemberRole,
  updateOrganisation,
  updateUser,
} from "../../domain/organisations/organisations.ts";
import { deleteAccount } from "../../domain/privacy/gdpr.ts";
import { RATE_RULES } from "../../domain/rate-limit.ts";
import { jsonRoutes, parseQuery, uuidParam } from "../route-kit.ts";
import type { AppEnv } from "../types.ts";

/**
 * Sends an invitation: authorised first (so nobody else can use up an organisation's
 * allowance), then counted per inviting user and per organisation.
 */
async function invite(c: Context<AppEnv>, organisationId: string, body: Invite) {
  const ctx = c.get("ctx");
  const admin = requireOrgAdmin(c.get("actor"), organisationId);
  const now = ctx.clock.now();
  await c.get("limiter").hit(RATE_RULES.invitationPerUser, admin.userId, now);
  await c.get("limiter").hit(RATE_RULES.invitationPerOrganisation, organisationId, now);
  return c.json(await inviteMember(ctx, admin, organisationId, body), 201);
}

export function organisationRoutes() {
  const { app, add } = jsonRoutes("Organisations");
  const p = uuidParam;

  add(
    "patch",
    "/organisations/:id",
    {
      operationId: "updateOrganisation",
      auth: true,
      summary: "Edit the organisation's details (org admins)",
      body: OrgDetailsPatch,
    },
    async (c, b) => c.json(await updateOrganisation(c.get("ctx"), c.get("actor"), p(c, "id"), b), 200),
  );

  add(
    "get",
    "/organisations/:id/members",
    {
      operationId: "listMembers",
      auth: true,
      summary: "Members of the organisation (org admins)",
    },
    async (c) => c.json({ data: await listMembers(c.get("ctx"), c.get("actor"), p(c, "id")) }, 200),
  );

  const inviteDescription =
    "Nobody is added until the invitee accepts through the emailed link (7 days, single use). The answer is the same whether or not the address has an account; 409 only for a current member. Rate-limited per inviting user and per organisation (429).";
  add(
    "post",
    "/organisations/:id/invitations",
    {
      operationId: "inviteMember",
      auth: true,
      summary: "Invite a person by email (org admins)",
      description: inviteDescription,
      status: 201,
      body: Invite,
    },
    async (c, b) => invite(c, p(c, "id"), b),
  );

  add(
    "post",
    "/organisations/:id/members",
    {
      operationId: "addMember",
      auth: true,
      summary: "Invite a member by email (org admins; the same as POST /organisations/{id}/invitations)",
      description: inviteDescription,
      status: 201,
      body: Invite,
    },
    async (c, b) => invite(c, p(c, "id"), b),
  );

  add(
    "get",
    "/organisations/:id/invitations",
    {
      operationId: "listInvitations",
      auth: true,
      summary: "Pending invitations of the organisation (org admins)",
    },
    async (c) => c.json({ data: await listInvitations(c.get("ctx"), c.get("actor"), p(c, "id")) }, 200),
  );

  add(
    "delete",
    "/organisations/:id/invitations/:invitationId",
    {
      operationId: "revokeInvitation",
      auth: true,
      summary: "Revoke a pending invitation (org admins)",
      status: 204,
    },
    async (c) => {
      await revokeInvitation(c.get("ctx"), c.get("actor"), p(c, "id"), p(c, "invitationId"));
      return c.body(null, 204);
    },
  );

  add(
    "post",
    "/invitations/lookup",
    {
      operationId: "lookupInvitation",
      summary: "What an emailed invitation is for (organisation, role, address, whether it has an account)",
      body: InvitationTokenBody,
    },
    async (c, b) => c.json(await describeInvitation(c.get("ctx"), c.get("actor"), b.token), 200),
  );

  add(
    "post",
    "/invitations/accept",
    {
      operationId: "acceptInvitation",
      auth: true,
      summary: "Accept an invitation as the signed-in account of the invited address",
      body: InvitationTokenBody,
    },
    async (c, b) => c.json(await acceptInvitation(c.get("ctx"), c.get("actor"), b.token), 200),
  );

  add(
    "post",
    "/invitations/accept-new",
    {
      operationId: "acceptInvitationWithNewAccount",
      summary:
        "Accept an invitation by creating an account (name and password); answers with the address, to sign in with",
      body: AcceptInvitationNewBody,
    },
    async (c, b) => {
      const { email } = await acceptInvitationWithNewAccount(c.get("ctx"), b);
      return c.json({ status: "joined", email }, 200);
    },
  );

  add(
    "patch",
    "/organisations/:id/members/:userId",
    {
      operationId: "setMemberRole",
      auth: true,
      summary: "Change a member's role (org admins)",
      body: MemberRoleBody,
    },
    async (c, b) => {
      await setMemberRole(c.get("ctx"), c.get("actor"), p(c, "id"), p(c, "userId"), b.role);
      return c.json({ user_id: c.req.param("userId"), role: b.role }, 200);
    },
  );

  add(
    "delete",
    "/organisations/:id/members/:userId",
    {
      operationId: "removeMember",
      auth: true,
      summary: "Remove a member (org admins)",
      status: 204,
    },
    async (c) => {
      await removeMember(c.get("ctx"), c.get("actor"), p(c, "id"), p(c, "userId"));
      return c.body(null, 204);
    },
  );

  add(
    "get",
    "/organisations/:id/tokens",
    {
      operationId: "listApiTokens",
      auth: true,
      summary: "API tokens of the organisation (never the tokens themselves)",
    },
    async (c) => c.json({ data: await listApiTokens(c.get("ctx"), c.get("actor"), p(c, "id")) }, 200),
  );

  add(
    "post",
    "/organisations/:id/tokens",
    {
      operationId: "createApiToken",
      auth: true,
      summary: "Create an API token; the token is shown only in this response",
      status: 201,
      body: ApiTokenBody,
    },
    async (c, b) => c.json(await createApiToken(c.get("ctx"), c.get("actor"), p(c, "id"), b.name), 201),
  );

  add(
    "delete",
    "/organisations/:id/tokens/:tokenId",
    { operationId: "revokeApiToken", auth: true, summary: "Revoke an API token", status: 204 },
    async (c) => {
      await revokeApiToken(c.get("ctx"), c.get("actor"), p(c, "id"), p(c, "tokenId"));
      return c.body(null, 204);
    },
  );

  // Platform administration.
  add(
    "post",
    "/admin/organisations",
    {
      operationId: "createOrganisation",
      auth: true,
      summary: "Create an organisation (admins)",
      status: 201,
      body: CreateOrganisationBody,
    },
    async (c, b) => c.json(await createOrganisation(c.get("ctx"), c.get("actor"), b), 201),
  );

  add(
    "delete",
    "/admin/organisations/:id",
    {
      operationId: "closeOrganisation",
      auth: true,
      summary: "Close an organisation (admins)",
      status: 204,
    },
    async (c) => {
      await deleteOrganisation(c.get("ctx"), c.get("actor"), p(c, "id"));
      return c.body(null, 204);
    },
  );

  add("get", "/admin/users", { operationId: "listUsers", auth: true, summary: "Users (admins)" }, async (c) =>
    c.json({ data: await listUsers(c.get("ctx"), c.get("actor"), parseQuery(c, UsersQuery)) }, 200),
  );

  add(
    "patch",
    "/admin/users/:id",
    {
      operationId: "updateUser",
      auth: true,
      summary: "Change a user's role or name (admins)",
      body: UserPatchBody,
    },
    async (c, b) => c.json(await updateUser(c.get("ctx"), c.get("actor"), p(c, "id"), b), 200),
  );

  add(
    "delete",
    "/admin/users/:id",
    {
      operationId: "deleteUser",
      auth: true,
      summary: "Close a user's account and erase their data (admins)",
      status: 204,
    },
    async (c) => {
      await deleteAccount(c.get("ctx"), c.get("actor"), p(c, "id"));
      return c.body(null, 204);
    },
  );

  return app;
}
