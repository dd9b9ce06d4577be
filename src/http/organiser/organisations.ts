/**
 * Organisation management by its admins (members, invitations, API tokens, details; a
 * session only) and accepting an invitation. Platform administration is ../admin/routes.ts.
 */
import type { Context } from "hono";
import {
  AcceptInvitationNewBody,
  ApiTokenBody,
  ApiTokenList,
  CreatedApiToken,
  IdParams,
  Invitation,
  InvitationAccepted,
  InvitationList,
  InvitationLookup,
  InvitationParams,
  InvitationTokenBody,
  Invite,
  JoinedWithNewAccount,
  ManagedOrganisation,
  MemberList,
  MemberParams,
  MemberRoleBody,
  MemberRoleChanged,
  OrgDetailsPatch,
  TokenParams,
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
  listApiTokens,
  listMembers,
  removeMember,
  revokeApiToken,
  setMemberRole,
  updateOrganisation,
} from "../../domain/organisations/organisations.ts";
import { RATE_RULES } from "../../domain/rate-limit.ts";
import type { SecurityName } from "../openapi.ts";
import { jsonRoutes } from "../route-kit.ts";
import type { AppEnv } from "../types.ts";

/**
 * Sends an invitation: authorised first (so nobody else can use up an organisation's
 * allowance), then counted per inviting user and per organisation.
 */
async function invite(c: Context<AppEnv>, organisationId: string, body: Invite) {
  const ctx = c.get("ctx");
  const admin = requireOrgAdmin(c.get("actor"), organisationId);
  const now = ctx.clock.now();
  // Regional: organisations and accounts are shared by the region's sites.
  await c.get("limiter").hit(RATE_RULES.invitationPerUser, admin.userId, now);
  await c.get("limiter").hit(RATE_RULES.invitationPerOrganisation, organisationId, now);
  return c.json(await inviteMember(ctx, admin, organisationId, body), 201);
}

export function organisationRoutes() {
  const { app, add } = jsonRoutes("Organisations");
  /** Organisation admins act with their session (an API token acts for the organisation, not on it). */
  const session: SecurityName[] = ["cookieAuth"];

  add(
    "patch",
    "/organisations/:id",
    {
      operationId: "updateOrganisation",
      auth: true,
      security: session,
      summary: "Edit the organisation's details (org admins)",
      description:
        "The private contact changes at once. The public profile (name, description, website, public email) changes at once for a trusted organisation or when staff edit it; otherwise it waits in pending_profile for a moderator.",
      body: OrgDetailsPatch,
      params: IdParams,
      response: ManagedOrganisation,
      problems: [404],
    },
    async (c, b, { params }) =>
      c.json(await updateOrganisation(c.get("ctx"), c.get("actor"), params.id, b), 200),
  );

  add(
    "get",
    "/organisations/:id/members",
    {
      operationId: "listMembers",
      auth: true,
      security: session,
      summary: "Members of the organisation (org admins)",
      params: IdParams,
      response: MemberList,
      problems: [404],
    },
    async (c, _b, { params }) =>
      c.json({ data: await listMembers(c.get("ctx"), c.get("actor"), params.id) }, 200),
  );

  const inviteDescription =
    "Nobody is added until the invitee accepts through the emailed link (7 days, single use). The answer is the same whether or not the address has an account; 409 only for a current member. Rate-limited per inviting user and per organisation (429).";
  add(
    "post",
    "/organisations/:id/invitations",
    {
      operationId: "inviteMember",
      auth: true,
      security: session,
      summary: "Invite a person by email (org admins)",
      description: inviteDescription,
      status: 201,
      body: Invite,
      params: IdParams,
      response: Invitation,
      problems: [404, 409],
    },
    async (c, b, { params }) => invite(c, params.id, b),
  );

  add(
    "post",
    "/organisations/:id/members",
    {
      operationId: "addMember",
      auth: true,
      security: session,
      summary: "Invite a member by email (org admins; the same as POST /organisations/{id}/invitations)",
      description: inviteDescription,
      status: 201,
      body: Invite,
      params: IdParams,
      response: Invitation,
      problems: [404, 409],
    },
    async (c, b, { params }) => invite(c, params.id, b),
  );

  add(
    "get",
    "/organisations/:id/invitations",
    {
      operationId: "listInvitations",
      auth: true,
      security: session,
      summary: "Pending invitations of the organisation (org admins)",
      params: IdParams,
      response: InvitationList,
      problems: [404],
    },
    async (c, _b, { params }) =>
      c.json({ data: await listInvitations(c.get("ctx"), c.get("actor"), params.id) }, 200),
  );

  add(
    "delete",
    "/organisations/:id/invitations/:invitationId",
    {
      operationId: "revokeInvitation",
      auth: true,
      security: session,
      summary: "Revoke a pending invitation (org admins)",
      status: 204,
      params: InvitationParams,
      problems: [404],
    },
    async (c, _b, { params }) => {
      await revokeInvitation(c.get("ctx"), c.get("actor"), params.id, params.invitationId);
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
      response: InvitationLookup,
    },
    async (c, b) => c.json(await describeInvitation(c.get("ctx"), c.get("actor"), b.token), 200),
  );

  add(
    "post",
    "/invitations/accept",
    {
      operationId: "acceptInvitation",
      auth: true,
      security: session,
      summary: "Accept an invitation as the signed-in account of the invited address",
      body: InvitationTokenBody,
      response: InvitationAccepted,
      problems: [409],
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
      response: JoinedWithNewAccount,
      problems: [409, 503],
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
      security: session,
      summary: "Change a member's role (org admins)",
      body: MemberRoleBody,
      params: MemberParams,
      response: MemberRoleChanged,
      problems: [404],
    },
    async (c, b, { params }) => {
      await setMemberRole(c.get("ctx"), c.get("actor"), params.id, params.userId, b.role);
      return c.json({ user_id: c.req.param("userId"), role: b.role }, 200);
    },
  );

  add(
    "delete",
    "/organisations/:id/members/:userId",
    {
      operationId: "removeMember",
      auth: true,
      security: session,
      summary: "Remove a member (org admins)",
      status: 204,
      params: MemberParams,
      problems: [404],
    },
    async (c, _b, { params }) => {
      await removeMember(c.get("ctx"), c.get("actor"), params.id, params.userId);
      return c.body(null, 204);
    },
  );

  add(
    "get",
    "/organisations/:id/tokens",
    {
      operationId: "listApiTokens",
      auth: true,
      security: session,
      summary: "API tokens of the organisation (never the tokens themselves)",
      params: IdParams,
      response: ApiTokenList,
    },
    async (c, _b, { params }) =>
      c.json({ data: await listApiTokens(c.get("ctx"), c.get("actor"), params.id) }, 200),
  );

  add(
    "post",
    "/organisations/:id/tokens",
    {
      operationId: "createApiToken",
      auth: true,
      security: session,
      summary: "Create an API token; the token is shown only in this response",
      status: 201,
      body: ApiTokenBody,
      params: IdParams,
      response: CreatedApiToken,
      problems: [404],
    },
    async (c, b, { params }) =>
      c.json(await createApiToken(c.get("ctx"), c.get("actor"), params.id, b.name), 201),
  );

  add(
    "delete",
    "/organisations/:id/tokens/:tokenId",
    {
      operationId: "revokeApiToken",
      auth: true,
      security: session,
      summary: "Revoke an API token",
      status: 204,
      params: TokenParams,
      problems: [404],
    },
    async (c, _b, { params }) => {
      await revokeApiToken(c.get("ctx"), c.get("actor"), params.id, params.tokenId);
      return c.body(null, 204);
    },
  );

  return app;
}
