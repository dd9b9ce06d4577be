/**
 * The anonymous submissions' contract (/api/v1/submissions*): submit with a name and an
 * email address, confirm with the emailed token, ask for a magic link, and — with the link's
 * token in the X-Submitter-Token header — list, edit and cancel one's own submissions.
 */
import { z } from "zod";
import { LOCALES } from "../codes.ts";
import { EventInput } from "./event-input.ts";
import {
  DuplicateWarning,
  EventResult,
  EventStatusCode,
  Id,
  StoredTexts,
  WorkflowState,
} from "./organiser.ts";

// --- Requests ------------------------------------------------------------------------------

export const Submission = z.object({
  submitter: z
    .object({ name: z.string().trim().min(1).max(100), email: z.string().trim().email().max(254) })
    .strict(),
  event: EventInput,
  locale: z.enum(LOCALES).default("fi"),
  /** Honeypot: hidden on the form; people leave it empty, bots fill it in. */
  website: z.string().max(500).optional(),
});
export type Submission = z.infer<typeof Submission>;

export const ConfirmSubmissionBody = z.object({ token: z.string().min(10).max(200) });
export const SubmitterAccessBody = z.object({ email: z.string().trim().email().max(254) });

// --- Answers -------------------------------------------------------------------------------

/** The 202 of a submission or an access request: the same whatever happened (nothing to probe). */
export const Accepted = z
  .object({ status: z.string() })
  .meta({ id: "Accepted", description: "Accepted: the next step comes by email" });

export const ConfirmedSubmission = EventResult.extend({
  access_token: z.string().meta({
    description: "A magic-link token for managing one's submissions (send as X-Submitter-Token)",
  }),
}).meta({ id: "ConfirmedSubmission" });

export const SubmitterEvent = z
  .object({
    id: Id,
    version: z.number().int().min(1),
    state: WorkflowState,
    event_status: EventStatusCode,
    title: StoredTexts,
    duplicates: z.array(DuplicateWarning),
  })
  .meta({ id: "SubmitterEvent" });
export const SubmitterEventList = z
  .object({ data: z.array(SubmitterEvent) })
  .meta({ id: "SubmitterEventList" });

export const SubmissionDeleted = z
  .object({ id: Id, deleted: z.literal(true) })
  .meta({ id: "SubmissionDeleted", description: "An unpublished submission, deleted" });

export const CancelledSubmission = z.union([EventResult, SubmissionDeleted]).meta({
  id: "CancelledSubmission",
  description: "A published event is marked cancelled (EventResult); anything else is deleted",
});
