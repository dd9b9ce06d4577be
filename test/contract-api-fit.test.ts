/**
 * The organiser, moderation, admin and submission response schemas (src/contract/api) accept
 * what the domain functions really return: checked by the type checker (`npm run typecheck`),
 * so a field added to or retyped in a domain answer fails until its schema follows.
 */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import * as admin from "../src/contract/api/admin.ts";
import * as moderation from "../src/contract/api/moderation.ts";
import * as organiser from "../src/contract/api/organiser.ts";
import * as submissions from "../src/contract/api/submissions.ts";
import type {
  changeEventStatus,
  createEvent,
  submitEvent,
  updateEvent,
} from "../src/domain/events/commands.ts";
import type { getMyEvent, listMyEvents } from "../src/domain/events/my-events.ts";
import type {
  decide,
  decideMany,
  moderationLogFor,
  moderationOrganisations,
  moderationQueue,
  reviewEvent,
  setOrganisationTrust,
} from "../src/domain/moderation/moderation.ts";
import type {
  acceptInvitation,
  describeInvitation,
  inviteMember,
  listInvitations,
} from "../src/domain/organisations/invitations.ts";
import type {
  createApiToken,
  createOrganisation,
  decideProfile,
  listApiTokens,
  listMembers,
  listUsers,
  updateOrganisation,
  updateUser,
} from "../src/domain/organisations/organisations.ts";
import type {
  cancelSubmission,
  confirmSubmission,
  listSubmitterEvents,
} from "../src/domain/workflow/submissions.ts";

type Answer<F extends (...args: any[]) => unknown> = Awaited<ReturnType<F>>;
/** Compiles only when T (a domain answer) is assignable to what schema S describes. */
const fits =
  <S extends z.ZodType>(schema: S) =>
  <_T extends z.output<S>>() =>
    expect(schema).toBeDefined();

describe("response schemas fit the domain's answers", () => {
  it("organiser events", () => {
    fits(organiser.EventResult)<Answer<typeof createEvent>>();
    fits(organiser.EventResult)<Answer<typeof updateEvent>>();
    fits(organiser.EventResult)<Answer<typeof submitEvent>>();
    fits(organiser.EventResult)<Answer<typeof changeEventStatus>>();
    fits(organiser.MyEventList)<{ data: Answer<typeof listMyEvents> }>();
    fits(organiser.MyEvent)<Answer<typeof getMyEvent>>();
  });

  it("organisation management", () => {
    fits(organiser.ManagedOrganisation)<Answer<typeof updateOrganisation>>();
    fits(organiser.MemberList)<{ data: Answer<typeof listMembers> }>();
    fits(organiser.Invitation)<Answer<typeof inviteMember>>();
    fits(organiser.InvitationList)<{ data: Answer<typeof listInvitations> }>();
    fits(organiser.InvitationLookup)<Answer<typeof describeInvitation>>();
    fits(organiser.InvitationAccepted)<Answer<typeof acceptInvitation>>();
    fits(organiser.ApiTokenList)<{ data: Answer<typeof listApiTokens> }>();
    fits(organiser.CreatedApiToken)<Answer<typeof createApiToken>>();
  });

  it("administration", () => {
    fits(organiser.ManagedOrganisation)<Answer<typeof createOrganisation>>();
    fits(admin.AdminUserList)<{ data: Answer<typeof listUsers> }>();
    fits(admin.UpdatedUser)<Answer<typeof updateUser>>();
  });

  it("moderation", () => {
    fits(moderation.ModerationQueue)<Answer<typeof moderationQueue>>();
    fits(moderation.DecisionResult)<Answer<typeof decide>>();
    fits(moderation.BulkDecisionResult)<{ data: Answer<typeof decideMany> }>();
    fits(moderation.ReviewEvent)<Answer<typeof reviewEvent>>();
    fits(moderation.ModerationLogPage)<Answer<typeof moderationLogFor>>();
    fits(moderation.ModerationOrganisations)<Answer<typeof moderationOrganisations>>();
    fits(organiser.ManagedOrganisation)<Answer<typeof setOrganisationTrust>>();
    fits(organiser.ManagedOrganisation)<Answer<typeof decideProfile>>();
  });

  it("anonymous submissions", () => {
    fits(submissions.ConfirmedSubmission)<Answer<typeof confirmSubmission>>();
    fits(submissions.SubmitterEventList)<{ data: Answer<typeof listSubmitterEvents> }>();
    fits(submissions.CancelledSubmission)<Answer<typeof cancelSubmission>>();
  });
});
