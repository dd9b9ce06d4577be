/**
 * The moderation API's contract (/api/v1/moderation/*): the queue, decisions singly and in
 * bulk, one event for review, the moderation log, organisations and their trusted flag and
 * pending profile changes. Query strings, bodies, and a schema for every success answer.
 */
import { z } from "zod";
import { ORGANISATION_KINDS } from "../codes.ts";
import { EventInput } from "./event-input.ts";
import {
  DuplicateWarning,
  EventStatusCode,
  Id,
  Instant,
  JsonObject,
  listOf,
  Paging,
  PlaceSummary,
  StoredTexts,
  Version,
  WORKFLOW_ACTIONS,
  WorkflowState,
} from "./organiser.ts";
import { hasUnstorableText } from "./storable-text.ts";

// --- Requests ------------------------------------------------------------------------------

const Reason = z.string().trim().min(1).max(2000);
/** A search text for SQL: NUL and invalid Unicode are a 400, not a database error. */
const SearchText = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !hasUnstorableText(s), { message: "contains NUL or invalid Unicode" });

export const QueueQuery = Paging.extend({
  kind: z.enum(["submission", "revision"]).optional(),
  organisation: z.string().uuid().optional(),
  q: SearchText.optional(),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const RejectBody = Version.extend({ reason: Reason });
export const RequestChangesBody = Version.extend({ comment: Reason });

export const BulkDecisionBody = z
  .object({
    action: z.enum(["approve", "reject"]),
    items: z
      .array(z.object({ id: z.string().uuid(), version: z.number().int().min(1) }))
      .min(1)
      .max(100),
    reason: Reason.optional(),
  })
  .refine((b) => b.action !== "reject" || b.reason, {
    message: "a rejection needs a reason",
    path: ["reason"],
  });
export type BulkDecisionBody = z.infer<typeof BulkDecisionBody>;

/** The actions the moderation log records (workflow commands and moderator decisions). */
export const LOG_ACTIONS = [
  ...WORKFLOW_ACTIONS,
  "propose_revision",
  "edit_trusted",
  "trust",
  "untrust",
  "propose_profile",
  "edit_profile",
  "approve_profile",
  "reject_profile",
] as const;

export const LogQuery = z.object({
  event_id: z.string().uuid().optional(),
  action: z.enum(LOG_ACTIONS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type LogQuery = z.infer<typeof LogQuery>;

export const ModerationOrganisationsQuery = Paging.extend({
  q: SearchText.optional(),
  trusted: z.enum(["true", "false"]).optional(),
  pending: z.enum(["true", "false"]).optional(),
});
export type ModerationOrganisationsQuery = z.infer<typeof ModerationOrganisationsQuery>;

export const TrustBody = z.object({ trusted: z.boolean() });

const SubmittedAt = z.string().datetime({ offset: true });
export const ProfileApproveBody = z.object({ submitted_at: SubmittedAt });
export const ProfileRejectBody = z.object({ submitted_at: SubmittedAt, reason: Reason });

// --- Answers -------------------------------------------------------------------------------

export const DecisionResult = z
  .object({
    id: Id,
    version: z.number().int().min(1),
    state: z.string().meta({ description: "The workflow state after the decision" }),
    event_status: z.string(),
    sequence: z.number().int().min(0),
  })
  .meta({ id: "DecisionResult", description: "An event after a moderator's decision" });
export const BulkDecisionResult = listOf(DecisionResult).meta({ id: "BulkDecisionResult" });

/** A field-by-field difference ("title.fi": before → after). */
export const FieldChange = z
  .object({ field: z.string(), before: z.unknown(), after: z.unknown() })
  .meta({ id: "FieldChange" });

const Person = z.object({ name: z.string(), email: z.string().nullable() });

export const QueueItem = z
  .object({
    id: Id,
    kind: z.enum(["submission", "revision"]),
    version: z.number().int().min(1),
    state: WorkflowState,
    event_status: EventStatusCode,
    title: StoredTexts,
    queued_at: Instant,
    organisation: z.object({ id: Id, name: z.string().nullable(), trusted: z.boolean() }).nullable(),
    created_by: Person.nullable(),
    submitter: Person.nullable().meta({ description: "A private submitter's contact (moderators only)" }),
    event: EventInput,
    changes: z
      .array(FieldChange)
      .nullable()
      .meta({ description: "A revision's diff; null for a submission" }),
    duplicates: z.array(DuplicateWarning),
  })
  .meta({ id: "QueueItem" });

export const ModerationQueue = z
  .object({
    data: z.array(QueueItem),
    counts: z.object({
      submissions: z.number().int().min(0),
      revisions: z.number().int().min(0),
      total: z.number().int().min(0),
    }),
  })
  .meta({
    id: "ModerationQueue",
    description: "Pending submissions and revisions, oldest first, and how many there are",
  });

export const LogActor = z.object({
  id: Id.nullable(),
  kind: z.string().meta({ description: "user, submitter, token or system" }),
  name: z.string().nullable(),
});

export const LogEntry = z
  .object({
    id: z.number().int().min(1),
    event_id: Id.nullable(),
    actor: LogActor,
    action: z.string(),
    reason: z.string().nullable(),
    before: JsonObject.nullable(),
    after: JsonObject.nullable(),
    created_at: Instant,
  })
  .meta({ id: "LogEntry", description: "One entry of the append-only moderation log" });

export const ReviewEvent = z
  .object({
    id: Id,
    version: z.number().int().min(1),
    state: WorkflowState,
    event_status: EventStatusCode,
    kind: z.enum(["submission", "revision"]).nullable(),
    queued_at: Instant.nullable(),
    published_at: Instant.nullable(),
    updated_at: Instant,
    organisation: z
      .object({
        id: Id,
        name: z.string().nullable(),
        trusted: z.boolean(),
        contact_email: z.string().nullable(),
        contact_phone: z.string().nullable(),
      })
      .nullable(),
    created_by: Person.nullable(),
    submitter: z
      .object({ name: z.string(), email: z.string().nullable(), confirmed: z.boolean() })
      .nullable(),
    event: EventInput,
    revision: z.object({ proposed: EventInput, created_at: Instant }).nullable(),
    changes: z.array(FieldChange).nullable(),
    places: z.array(PlaceSummary),
    categories: z.array(z.object({ slug: z.string(), name: StoredTexts })),
    duplicates: z.array(DuplicateWarning),
    decisions: z.array(z.enum(["approve", "reject", "request_changes"])),
    history: z.array(LogEntry),
  })
  .meta({
    id: "ReviewEvent",
    description:
      "One event for review: as it stands, its pending revision and diff, who is behind it (with private contact details), places, categories, duplicates, the decisions possible now and its history",
  });

export const ModerationLogPage = z
  .object({
    data: z.array(LogEntry.extend({ event_title: StoredTexts.nullable() })),
    next_before: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Pass as `before` for the next (older) page; null on the last page" }),
  })
  .meta({ id: "ModerationLogPage" });

export const ModeratedOrganisation = z
  .object({
    id: Id,
    slug: z.string(),
    name: z.string(),
    kind: z.enum(ORGANISATION_KINDS),
    trusted: z.boolean(),
    website: z.string().nullable(),
    description: StoredTexts,
    public_email: z.string().nullable(),
    pending_profile: JsonObject.nullable(),
    profile_submitted_at: Instant.nullable(),
    profile_changes: z.array(FieldChange).nullable(),
    members: z.number().int().min(0),
    published_events: z.number().int().min(0),
    pending_events: z.number().int().min(0),
  })
  .meta({ id: "ModeratedOrganisation" });

export const ModerationOrganisations = z
  .object({ data: z.array(ModeratedOrganisation), total: z.number().int().min(0) })
  .meta({ id: "ModerationOrganisations" });
