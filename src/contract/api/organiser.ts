/**
 * The organiser API's contract (/api/v1/events writes, /api/v1/me/events and organisation
 * management by its admins): request bodies and query strings as the routes validate them,
 * and a schema for every success answer, written from what the domain functions return.
 * OpenAPI metadata rides on zod's own `.meta()` (an `id` becomes a component).
 */
import { z } from "zod";
import { EVENT_STATUSES, LOCALES, MEMBERSHIP_ROLES, ORGANISATION_KINDS, WORKFLOW_STATES } from "../codes.ts";
import { Instant, LocalizedText, Uuid } from "./common.ts";
import { EventInput, texts } from "./event-input.ts";
import { HttpUrl } from "./http-url.ts";

// --- Building blocks of the answers -------------------------------------------------------

/** An instant (ISO 8601), a database id and a text in up to three languages: the shared ones. */
export { Instant };
export const Id = Uuid;
export const StoredTexts = LocalizedText;

/** A JSON object the API passes through as stored (a log entry's before/after, a pending profile). */
export const JsonObject = z.record(z.string(), z.unknown());

export const WorkflowState = z
  .enum(WORKFLOW_STATES)
  .meta({ description: "Workflow state: draft → pending → published | rejected" });
export const EventStatusCode = z
  .enum(EVENT_STATUSES)
  .meta({ description: "schema.org EventStatusType (scheduled, cancelled, postponed, rescheduled)" });

/** The workflow's actions (src/domain/workflow/machine.ts holds their rules). */
export const WORKFLOW_ACTIONS = [
  "edit",
  "submit",
  "publish_trusted",
  "withdraw",
  "approve",
  "reject",
  "request_changes",
  "approve_revision",
  "reject_revision",
  "request_revision_changes",
  "cancel",
  "postpone",
  "delete",
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** `{ data: [...] }`, the envelope of every list answer. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

// --- Requests ------------------------------------------------------------------------------

/** The path parameters of a route on one resource: `{id}`. */
export const IdParams = z.object({ id: Uuid });
export const MemberParams = z.object({ id: Uuid, userId: Uuid });
export const InvitationParams = z.object({ id: Uuid, invitationId: Uuid });
export const TokenParams = z.object({ id: Uuid, tokenId: Uuid });

/** The version the client read (optimistic concurrency: a stale one is a 409). */
export const Version = z.object({ version: z.number().int().min(1) });
export type Version = z.infer<typeof Version>;

export const StatusChange = Version.extend({ reason: z.string().trim().max(2000).optional() });
export type StatusChange = z.infer<typeof StatusChange>;

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type Paging = z.infer<typeof Paging>;

export const MyEventsQuery = Paging.extend({ state: z.enum(WORKFLOW_STATES).optional() });
export type MyEventsQuery = z.infer<typeof MyEventsQuery>;

export const CreateEventBody = EventInput.extend({
  organisation_id: z.string().uuid().nullable().optional(),
});
export type CreateEventBody = z.infer<typeof CreateEventBody>;

// --- Event answers ---------------------------------------------------------------------------

export const DuplicateWarning = z
  .object({
    event_id: Id,
    title: StoredTexts,
    state: z.string().meta({ description: "pending or published" }),
    similarity: z.number().min(0).max(1),
  })
  .meta({
    id: "DuplicateWarning",
    description: "A pending or published event at the same place and time with a similar title",
  });

export const EventResult = z
  .object({
    id: Id,
    version: z.number().int().min(1),
    state: WorkflowState,
    event_status: EventStatusCode,
    pending_revision: z
      .boolean()
      .optional()
      .meta({ description: "True when an edit of a published event is waiting for moderation" }),
    warnings: z.object({ duplicates: z.array(DuplicateWarning) }),
  })
  .meta({
    id: "EventResult",
    description: "An event after a command: its new version, state and duplicate warnings",
    example: {
      id: "0b7e7f3a-9c1d-4e2f-8a3b-5c6d7e8f9a0b",
      version: 2,
      state: "pending",
      event_status: "scheduled",
      warnings: { duplicates: [] },
    },
  });
export type EventResult = z.infer<typeof EventResult>;

export const ModeratorComment = z.object({
  action: z.string().nullable(),
  text: z.string(),
  at: Instant,
});

export const MyEventListItem = z
  .object({
    id: Id,
    version: z.number().int().min(1),
    state: WorkflowState,
    event_status: EventStatusCode,
    title: StoredTexts,
    start: Instant,
    organisation: z.object({ id: Id, name: z.string().nullable() }).nullable(),
    pending_revision: z.boolean(),
    moderator_comment: ModeratorComment.nullable().meta({
      description: "The moderators' latest comment (a rejection, a change request, a cancellation)",
    }),
    updated_at: Instant,
  })
  .meta({ id: "MyEventListItem" });
export const MyEventList = listOf(MyEventListItem).meta({ id: "MyEventList" });

export const PlaceSummary = z
  .object({
    id: Id,
    name: StoredTexts,
    street_address: z.string().nullable(),
    postal_code: z.string().nullable(),
    locality: z.string().nullable(),
    approved: z.boolean().meta({
      description: "False for a place created with a submission that is not public yet",
    }),
  })
  .meta({ id: "PlaceSummary" });

export const OwnDecision = z.object({
  action: z.string(),
  reason: z.string().nullable(),
  by: z.string().meta({ description: "Who decided: user, submitter, token or system" }),
  created_at: Instant,
  before: JsonObject.nullable(),
  after: JsonObject.nullable(),
});

export const MyEvent = z
  .object({
    id: Id,
    version: z.number().int().min(1),
    state: WorkflowState,
    event_status: EventStatusCode,
    sequence: z.number().int().min(0),
    organisation_id: Id.nullable(),
    event: EventInput,
    place: PlaceSummary.nullable(),
    pending_revision: z.object({ proposed: EventInput, created_at: Instant }).nullable(),
    allowed_actions: z.array(z.enum(WORKFLOW_ACTIONS)).meta({ description: "Workflow actions possible now" }),
    decisions: z.array(OwnDecision),
  })
  .meta({ id: "MyEvent", description: "One of my events: editable input, revision, decisions" });

// --- Organisation management (organisation admins) ------------------------------------------

export const OrgDetails = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  description: texts(2000).optional(),
  website: HttpUrl.nullable().optional(),
  public_email: z.string().trim().email().max(254).nullable().optional(),
  contact_email: z.string().trim().email().max(254).nullable().optional(),
  contact_phone: z.string().trim().max(40).nullable().optional(),
});
export const OrgDetailsPatch = OrgDetails.strict();
export type OrgDetailsPatch = z.infer<typeof OrgDetailsPatch>;

export const Invite = z.object({
  email: z.string().trim().email().max(254),
  role: z.enum(MEMBERSHIP_ROLES).default("member"),
  locale: z.enum(LOCALES).optional(),
});
export type Invite = z.infer<typeof Invite>;

const InvitationToken = z.string().trim().min(10).max(200);
export const InvitationTokenBody = z.object({ token: InvitationToken });
export const AcceptInvitationNewBody = z.object({
  token: InvitationToken,
  password: z.string().min(10, "must be at least 10 characters").max(200),
  display_name: z.string().trim().min(1).max(100),
  locale: z.enum(LOCALES).optional(),
});
export const MemberRoleBody = z.object({ role: z.enum(MEMBERSHIP_ROLES) });
export const ApiTokenBody = z.object({ name: z.string().trim().min(1).max(100) });

export const ManagedOrganisation = z
  .object({
    id: Id,
    slug: z.string(),
    name: z.string(),
    kind: z.enum(ORGANISATION_KINDS),
    description: StoredTexts,
    website: z.string().nullable(),
    public_email: z.string().nullable(),
    contact_email: z.string().nullable().meta({ description: "Private: never in a public answer" }),
    contact_phone: z.string().nullable().meta({ description: "Private: never in a public answer" }),
    trusted: z.boolean(),
    pending_profile: JsonObject.nullable().meta({
      description: "Public profile changes waiting for a moderator (untrusted organisations), or null",
    }),
    profile_submitted_at: Instant.nullable(),
  })
  .meta({
    id: "ManagedOrganisation",
    description: "An organisation as its admins, moderators and platform admins see it",
  });

export const Member = z
  .object({
    user_id: Id,
    email: z.string(),
    display_name: z.string(),
    role: z.enum(MEMBERSHIP_ROLES),
    active: z.boolean().meta({ description: "The member has confirmed the email address" }),
  })
  .meta({ id: "Member" });
export const MemberList = listOf(Member).meta({ id: "MemberList" });

export const Invitation = z
  .object({
    id: Id,
    email: z.string(),
    role: z.enum(MEMBERSHIP_ROLES),
    created_at: Instant,
    expires_at: Instant,
  })
  .meta({ id: "Invitation", description: "A pending invitation to an organisation" });
export const InvitationList = listOf(Invitation).meta({ id: "InvitationList" });

const OrganisationRef = z.object({ id: Id, slug: z.string(), name: z.string() });

export const InvitationLookup = z
  .object({
    organisation: OrganisationRef,
    role: z.enum(MEMBERSHIP_ROLES),
    email: z.string(),
    expires_at: Instant,
    has_account: z.boolean(),
    signed_in_as_invitee: z.boolean(),
  })
  .meta({ id: "InvitationLookup", description: "What an emailed invitation is for" });

export const InvitationAccepted = z
  .object({ organisation: OrganisationRef, role: z.enum(MEMBERSHIP_ROLES) })
  .meta({ id: "InvitationAccepted" });

export const JoinedWithNewAccount = z
  .object({ status: z.literal("joined"), email: z.string() })
  .meta({ id: "JoinedWithNewAccount", description: "The new account's address, to sign in with" });

export const MemberRoleChanged = z
  .object({ user_id: z.string(), role: z.enum(MEMBERSHIP_ROLES) })
  .meta({ id: "MemberRoleChanged" });

export const ApiTokenSummary = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string().meta({ description: "The token's first characters, to recognise it" }),
    created_at: Instant,
    last_used_at: Instant.nullable(),
    revoked_at: Instant.nullable(),
  })
  .meta({ id: "ApiTokenSummary", description: "An organisation API token (never the token itself)" });
export const ApiTokenList = listOf(ApiTokenSummary).meta({ id: "ApiTokenList" });

export const CreatedApiToken = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string(),
    token: z.string().meta({ description: "The bearer token: shown only in this answer" }),
    created_at: Instant,
  })
  .meta({ id: "CreatedApiToken" });
